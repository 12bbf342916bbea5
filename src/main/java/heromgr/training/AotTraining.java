package heromgr.training;

import heromgr.cli.HumanOutput;
import heromgr.cli.JsonText;
import heromgr.cli.Main;
import heromgr.cli.RpcClient;
import heromgr.cli.Terminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training run for the JVM's AOT cache (bin/heromgr-train): runs typical CLI calls in one JVM so the
 * classes they load, link and profile are what the cache holds. No daemon is needed: the calls fail at the
 * socket, and the result views are exercised on sample answers so the success path is warm too.
 * <p>
 * With the argument {@code status} it trains the status cache instead (target/heromgr-status.aot, which
 * bin/heromgr picks for a bare `status NAME`): only that command's path, without picocli (BareStatusCommand).
 * Every class in a cache is loaded and linked when the JVM starts, so the full cache's other commands (Jackson's
 * ObjectMapper, picocli, ...) cost a status call ~40 ms of CPU for classes it never uses.
 */
public final class AotTraining {
    private static final String SAMPLE_STATUS = """
            {"name":"hero_echo","state":"RUNNING","actions":[{"name":"server","state":"RUNNING","pid":1,
             "uptime_ms":252000,"restart_count":0,"last_exit":{"code":0,"signal":0,"at":"t","requested":true},
             "log_file":"/l"}]}""";
    /**
     * The answers the status cache is trained on: every branch of the status table (an uptime under a minute, in
     * minutes, hours and days; no exit yet, an exit code, a signal; a stopped action) and an unknown service. Each
     * branch builds its own strings, and a string concatenation the training never ran is linked when first run:
     * the JVM then spins its method handles, ~10 ms of interpreted work (the harness's fresh service, uptime 1s,
     * was one such branch).
     */
    private static final List<String> STATUS_ANSWERS = List.of(
            result(SAMPLE_STATUS),
            result("""
                    {"name":"fresh","state":"RUNNING","actions":[{"name":"main","state":"RUNNING","pid":2,"uptime_ms":3000,
                     "restart_count":0,"last_exit":null,"log_file":"/l"}]}"""),
            result("""
                    {"name":"crashed","state":"RUNNING","actions":[{"name":"main","state":"RUNNING","pid":3,
                     "uptime_ms":7380000,"restart_count":5,"last_exit":{"code":null,"signal":9,"at":"t","requested":false},
                     "log_file":"/l"},{"name":"side","state":"RUNNING","pid":4,"uptime_ms":93600000,"restart_count":1,
                     "last_exit":{"code":1,"signal":0,"at":"t","requested":false},"log_file":"/l"}]}"""),
            result("""
                    {"name":"stopped","state":"STOPPED","actions":[{"name":"main","state":"STOPPED","pid":0,"uptime_ms":null,
                     "restart_count":0,"last_exit":{"code":0,"signal":15,"at":"t","requested":true},"log_file":"/l"}]}"""),
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32001,\"message\":\"service not found: missing\"}}");
    private static final String SAMPLE_LIST = """
            [{"name":"hero_echo","type":"rust","state":"RUNNING","healthy":true,"version":"0.1.0","depends_on":["a"]}]""";

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        RpcClient.prepareSocket();
        Terminal.system();   // environment, console check and writers: what every real run does first
        Path dir = Files.createTempDirectory("heromgr-train");
        Path missing = dir.resolve("missing.sock");
        Path stale = staleSocket(dir.resolve("stale.sock"));
        Path answering = dir.resolve("answering.sock");
        boolean statusOnly = args.length > 0 && args[0].equals("status");
        Thread responder = cannedResponder(answering, statusOnly ? STATUS_ANSWERS : List.of(result(SAMPLE_STATUS)));
        // Encodes like the real writers do (charset encoder and all), then discards.
        var sink = new PrintWriter(new OutputStreamWriter(OutputStream.nullOutputStream(), StandardCharsets.UTF_8), true);
        if (statusOnly) bareStatus(sink, answering, missing);
        else everyCommand(sink, dir, missing, stale, answering);
        responder.interrupt();
        Files.deleteIfExists(answering);
        Files.deleteIfExists(stale);
        Files.deleteIfExists(dir);
    }

    /** Typical calls of every command, and the result views on sample answers. */
    private static void everyCommand(PrintWriter sink, Path dir, Path missing, Path stale, Path answering) throws IOException {
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
            {"service", "status", "hero_echo", "--socket", answering.toString()},
            {"service", "status", "hero_echo", "--socket", answering.toString(), "--json"},
            {"service", "status", "hero_echo", "--socket", answering.toString()},
        };
        for (String[] call : calls) Main.execute(call, terminal);
        var out = new HumanOutput(terminal);
        out.status(JsonText.read(SAMPLE_STATUS.getBytes(StandardCharsets.UTF_8)));
        out.serviceList(JsonText.read(SAMPLE_LIST.getBytes(StandardCharsets.UTF_8)));
        sink.println(JsonText.pretty(JsonText.read(SAMPLE_STATUS.getBytes(StandardCharsets.UTF_8))));
    }

    /** The bare `status NAME` (no picocli: BareStatusCommand), which finds its socket in the environment. */
    private static void bareStatus(PrintWriter sink, Path answering, Path missing) {
        var answered = new Terminal(sink, sink, Map.of("HEROMGR_SOCKET", answering.toString()), false);
        for (int i = 0; i < STATUS_ANSWERS.size(); i++) {
            // both forms, each answered with every sample in turn
            Main.execute(new String[] {"service", "status", "hero_echo"}, answered);
            Main.execute(new String[] {"status", "hero_echo"}, answered);
        }
        var unanswered = new Terminal(sink, sink, Map.of("HEROMGR_SOCKET", missing.toString()), false);
        Main.execute(new String[] {"service", "status", "hero_echo"}, unanswered);
        Main.execute(new String[] {"status", "hero_echo"}, unanswered);
    }

    /**
     * Answers the requests with the given JSON-RPC answers in turn, so the training also walks the client's receive
     * path and the output (a real daemon cannot run inside the training JVM's class-loading budget).
     */
    private static Thread cannedResponder(Path path, List<String> answers) throws IOException {
        var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            try (server) {
                for (int n = 0; !Thread.currentThread().isInterrupted(); n++) {
                    try (SocketChannel ch = server.accept()) {
                        InputStream in = Channels.newInputStream(ch);
                        int contentLength = 0;
                        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                                contentLength = Integer.parseInt(line.substring(15).trim());
                            }
                        }
                        in.readNBytes(contentLength);
                        Channels.newOutputStream(ch).write(httpAnswer(answers.get(n % answers.size())));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // training is over (interrupted or socket removed)
            }
        });
        return t;
    }

    private static String result(String json) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + json + "}";
    }

    private static byte[] httpAnswer(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] answer = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, answer, head.length, body.length);
        return answer;
    }

    private static String readLine(InputStream in) throws IOException {
        var sb = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    /** A socket file nobody listens on: the connect is refused, which walks the client's whole send path. */
    private static Path staleSocket(Path path) throws IOException {
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
        }
        return path;
    }
}
