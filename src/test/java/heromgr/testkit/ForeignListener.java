package heromgr.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A real process that is no service of heromgr's: python3 listening on a Unix socket or a loopback TCP port, accepting
 * and closing connections until it is killed. Tests stop it by its pid.
 */
public final class ForeignListener {
    /** A real binary (not a pyenv shim script), so /proc/pid/exe and the command line are python's own. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = """
            import socket, sys
            kind, where = sys.argv[1], sys.argv[2]
            if kind == "unix":
                s = socket.socket(socket.AF_UNIX)
                s.bind(where)
            else:
                s = socket.socket()
                s.bind(("127.0.0.1", int(where)))
            s.listen(16)
            print("listening", flush=True)
            while True:
                c, _ = s.accept()
                c.close()
            """;

    private ForeignListener() {
    }

    /** The script in dir (written once): for a test that runs it as a supervised action of its own. */
    public static Path script(Path dir) throws IOException {
        Path script = dir.resolve("holder.py");
        if (!Files.exists(script)) Files.writeString(script, SCRIPT);
        return script;
    }

    /**
     * Starts one (kind "unix" with a socket path, or "tcp" with a port) with its script and output in dir, and returns
     * once it listens. ownGroup: under setsid, as a supervised process would run.
     */
    public static Process start(Path dir, boolean ownGroup, String kind, String where) throws IOException {
        Path script = script(dir);
        Path out = Files.createTempFile(dir, "holder-", ".out");
        var argv = new ArrayList<>(ownGroup ? List.of("/usr/bin/setsid") : List.<String>of());
        argv.addAll(List.of(PYTHON.toString(), script.toString(), kind, where));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(out).contains("listening"));
        return p;
    }
}
