package heromgr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The training run for the JVM's AOT cache (bin/heromgr-train): runs typical CLI calls in one JVM so the
 * classes they load, link and profile are what the cache holds. No daemon is needed: the calls fail at the
 * socket, and the result views are exercised on sample answers so the success path is warm too.
 */
public final class AotTraining {
    private static final String SAMPLE_STATUS = """
            {"name":"hero_echo","state":"RUNNING","actions":[{"name":"server","state":"RUNNING","pid":1,
             "uptime_ms":252000,"restart_count":0,"last_exit":{"code":0,"signal":0,"at":"t","requested":true},
             "log_file":"/l"}]}""";
    private static final String SAMPLE_LIST = """
            [{"name":"hero_echo","type":"rust","state":"RUNNING","healthy":true,"version":"0.1.0","depends_on":["a"]}]""";

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("heromgr-train");
        Path missing = dir.resolve("missing.sock");
        Path stale = staleSocket(dir.resolve("stale.sock"));
        var sink = new PrintWriter(Writer.nullWriter());
        var env = Map.of("HERO_HOME", dir.toString(), "HERO_SOCKET_DIR", dir.toString());
        var terminal = new Terminal(sink, sink, env, false);
        String[][] calls = {
            {"--help"},
            {"version"},
            {"service", "status", "hero_echo", "--socket", missing.toString()},
            {"service", "list"},
            {"service", "health", "hero_echo", "--json"},
            {"service", "status", "--bogus"},
            {"service", "start", "hero_echo", "--no-wait", "--timeout-ms", "5", "--socket", stale.toString()},
            {"rpc", "service.status", "{\"name\":\"hero_echo\"}", "--json", "--socket", stale.toString()},
        };
        for (String[] call : calls) Main.execute(call, terminal);
        var out = new HumanOutput(terminal);
        out.status(JsonText.parse(SAMPLE_STATUS));
        out.serviceList(JsonText.parse(SAMPLE_LIST));
        sink.println(JsonText.pretty(JsonText.parse(SAMPLE_STATUS)));
        Files.deleteIfExists(stale);
        Files.deleteIfExists(dir);
    }

    /** A socket file nobody listens on: the connect is refused, which walks the client's whole send path. */
    private static Path staleSocket(Path path) throws IOException {
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
        }
        return path;
    }
}
