package heromgr.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * `heromgr ARGS` in a JVM of its own, for a command that runs until it is stopped (`logs -f`): the CLI halts its
 * JVM, which a test's own JVM must not do. Closing it kills it by pid.
 */
public final class CliProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;

    private CliProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The command against the daemon on socket; its stderr is dropped. */
    public static CliProcess start(Path socket, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(DaemonProcess.javaBinary(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "heromgr.cli.Main"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("HEROMGR_SOCKET", socket.toString());
        return new CliProcess(builder.start());
    }

    /** The next n lines of its stdout, waited for at most limit; fails if it ends before printing them. */
    public List<String> lines(int n, Duration limit) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            var read = new ArrayList<String>();
            try {
                while (read.size() < n) {
                    String line = out.readLine();
                    if (line == null) throw new IllegalStateException("the command ended after " + read.size() + " lines: " + read);
                    read.add(line);
                }
            } catch (IOException e) {
                throw new IllegalStateException("reading the command's output after " + read.size() + " lines", e);
            }
            return read;
        }).get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
