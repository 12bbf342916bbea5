package heromgr.it;

import heromgr.testkit.FileTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real hero_echo binaries for release fixtures, built once per test JVM with cargo into a temp target dir
 * (removed when the JVM exits): the release build and the dev build are two different ELF files of one service.
 */
final class EchoBinaries {
    private static Path targetDir;

    private EchoBinaries() {
    }

    static synchronized Path release() {
        return build("release", "release");
    }

    static synchronized Path dev() {
        return build("dev", "debug");
    }

    /**
     * A release binary that never turns healthy: it runs and waits, serving nothing (compiled with gcc into folder), for
     * an upgrade that must roll back.
     */
    static byte[] neverHealthy(Path folder) throws IOException, InterruptedException {
        Path c = folder.resolve("broken.c");
        Files.writeString(c, "#include <unistd.h>\nint main(void) { for (;;) pause(); }\n");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", folder.resolve("broken").toString(), c.toString())
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) throw new IllegalStateException("gcc failed: " + output);
        return Files.readAllBytes(folder.resolve("broken"));
    }

    /** cargo build of the crate at dir with this profile into targetDir, its output discarded; throws when it fails. */
    static void cargoBuild(Path dir, String profile, Path targetDir) throws IOException, InterruptedException {
        String home = System.getProperty("user.home");
        String cargo = Files.isExecutable(Path.of(home, ".cargo/bin/cargo")) ? home + "/.cargo/bin/cargo" : "cargo";
        var pb = new ProcessBuilder(List.of(cargo, "build", "--profile", profile))
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("CARGO_TARGET_DIR", targetDir.toString());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException("cargo build of " + dir + " failed");
    }

    private static Path build(String profile, String dir) {
        try {
            if (targetDir == null) {
                targetDir = Files.createTempDirectory("heromgr-echo-bins-");
                Path t = targetDir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        FileTree.delete(t);
                    } catch (IOException ignored) {
                        // best effort at JVM exit
                    }
                }));
            }
            Path out = targetDir.resolve(dir).resolve("hero_echo_server");
            if (Files.exists(out)) return out;
            cargoBuild(Path.of("examples/hero_echo"), profile, targetDir);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
