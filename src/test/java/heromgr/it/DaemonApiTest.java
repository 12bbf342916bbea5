package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's HTTP and JSON-RPC surface over its real socket, including every kind of bad input. */
class DaemonApiTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon();
    static final TestDaemon d = daemons.daemon();

    @Test
    void servesHeroEndpoints() throws IOException {
        var health = d.http("GET", "/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(JsonCodec.MAPPER.readTree(health.body()).get("status").asText()).isEqualTo("ok");

        var doc = d.http("GET", "/openrpc.json", null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body()).isEqualTo(Files.readAllBytes(Path.of("openrpc/service_manager.openrpc.json")));

        var wk = JsonCodec.MAPPER.readTree(d.http("GET", "/.well-known/heroservice.json", null).body());
        assertThat(wk.get("name").asText()).isEqualTo("heromgr");
        assertThat(wk.get("socket").asText()).isEqualTo(d.socket().toString());
    }

    @Test
    void socketIs0660InA0750Folder() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.socket()))).isEqualTo("rw-rw----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.socket().getParent()))).isEqualTo("rwxr-x---");
        assertThat(d.socket()).isEqualTo(d.paths.socketDir().resolve("heromgr/service.sock"));
    }

    @Test
    void wrongPathOrMethodIsRefusedPrecisely() throws IOException {
        var notFound = d.http("GET", "/nope", null);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.text()).contains("no such path: /nope");
        var wrongMethod = d.http("GET", "/rpc", null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("allow")).isEqualTo("POST");
        assertThat(d.http("DELETE", "/health", null).status()).isEqualTo(405);
    }

    @Test
    void listAndDiscover() {
        JsonNode list = d.result("service.list", null);
        assertThat(list.isArray()).isTrue();
        assertThat(list.findValuesAsText("name")).contains("hero_echo");
        JsonNode echo = null;
        for (JsonNode s : list) if (s.get("name").asText().equals("hero_echo")) echo = s;
        assertThat(echo.get("state").asText()).isEqualTo("STOPPED");
        // not running, so not healthy: known without a probe
        assertThat(echo.get("healthy").asBoolean(true)).isFalse();

        JsonNode doc = d.result("rpc.discover", Map.of());
        assertThat(doc.get("openrpc").asText()).isEqualTo("1.3.2");
    }

    @Test
    void protocolFaultsGetTheirCodes() {
        assertThat(errorCode(d.postRpc("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"))).isEqualTo(-32700);
        assertThat(errorCode(d.postRpc(""))).isEqualTo(-32700);
        assertThat(errorCode(d.postRpc("{\"id\":1,\"method\":\"service.list\"}"))).isEqualTo(-32600);
        assertThat(errorCode(d.postRpc("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}"))).isEqualTo(-32600);
        assertThat(errorCode(d.postRpc("[]"))).isEqualTo(-32600);
        assertThat(errorCode(d.postRpc("42"))).isEqualTo(-32600);
        JsonNode unknown = d.postRpc("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"service.fly\"}");
        assertThat(errorCode(unknown)).isEqualTo(-32601);
        assertThat(unknown.get("id").asText()).isEqualTo("x");
        assertThat(unknown.at("/error/message").asText()).contains("service.fly");
    }

    /** JSON-RPC 2.0: an id that is not a string, number or null cannot be echoed; the answer's id is null, a valid one. */
    @Test
    void anInvalidIdIsAnsweredWithANullId() {
        for (String id : List.of("{}", "[1]", "true")) {
            JsonNode answer = d.postRpc("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"service.list\"}");
            assertThat(errorCode(answer)).as(id).isEqualTo(-32600);
            assertThat(answer.get("id").isNull()).as(answer.toString()).isTrue();
        }
        JsonNode batch = d.postRpc("[{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"service.list\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"rpc.health\"}]");
        assertThat(batch.get(0).get("id").isNull()).as(batch.toString()).isTrue();
        assertThat(batch.get(1).get("id").asInt()).isEqualTo(2);
    }

    @Test
    void paramsAreCheckedAgainstTheDocumentAndTheFieldIsNamed() {
        JsonNode missing = d.call("service.status", Map.of());
        assertThat(errorCode(missing)).isEqualTo(-32602);
        assertThat(missing.at("/error/message").asText()).contains("name");

        JsonNode mistyped = d.call("service.logs", Map.of("name", "hero_echo", "lines", "ten"));
        assertThat(errorCode(mistyped)).isEqualTo(-32602);
        assertThat(mistyped.at("/error/message").asText()).contains("lines");

        JsonNode extra = d.call("service.stop", Map.of("name", "hero_echo", "colour", "red"));
        assertThat(errorCode(extra)).isEqualTo(-32602);
        assertThat(extra.at("/error/message").asText()).contains("colour");

        JsonNode badName = d.call("service.status", Map.of("name", "../../etc"));
        assertThat(errorCode(badName)).isEqualTo(-32602);

        // the document's patterns are ECMA-262, where `$` ends the text: Java's also matched before a last newline,
        // and a service named "tx\n" was created, its definition file and log folder with it
        JsonNode newline = d.call("service.create", Map.of("name", "tx\n", "argv", List.of("/bin/true"), "start", false));
        assertThat(errorCode(newline)).as(newline.toString()).isEqualTo(-32602);
        assertThat(errorCode(d.call("service.status", Map.of("name", "hero_echo\n")))).isEqualTo(-32602);

        JsonNode positional = d.postRpc("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.status\",\"params\":[\"hero_echo\"]}");
        assertThat(errorCode(positional)).isEqualTo(-32602);
    }

    @Test
    void unknownServiceHasItsDomainCode() {
        JsonNode answer = d.call("service.status", Map.of("name", "hero_nothing"));
        assertThat(errorCode(answer)).isEqualTo(-32001);
        assertThat(answer.at("/error/message").asText()).contains("hero_nothing");
    }

    @Test
    void batchesAndNotifications() {
        JsonNode answers = d.postRpc("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.list\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"service.list\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"service.status\",\"params\":{\"name\":\"nope\"}},"
                + "{\"foo\":1}]");
        assertThat(answers.isArray()).isTrue();
        assertThat(answers).hasSize(3);
        assertThat(answers.get(0).get("id").asInt()).isEqualTo(1);
        assertThat(answers.get(0).has("result")).isTrue();
        assertThat(errorCode(answers.get(1))).isEqualTo(-32001);
        assertThat(errorCode(answers.get(2))).isEqualTo(-32600);

        assertThat(d.postRpc("{\"jsonrpc\":\"2.0\",\"method\":\"service.list\"}")).isNull();
        assertThat(d.postRpc("[{\"jsonrpc\":\"2.0\",\"method\":\"service.list\"}]")).isNull();
    }

    @Test
    void absurdNestingIsAParseErrorNotACrash() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonNode answer = d.postRpc(deep);
        assertThat(errorCode(answer)).isEqualTo(-32700);
        assertThat(answer.at("/error/message").asText()).contains("nesting");
        assertThat(d.result("service.list", null).isArray()).isTrue();
    }

    @Test
    void aDeclaredBodyOverOneMegabyteIsRefusedWithoutReadingIt() throws IOException {
        // declare 100 MB but send nothing: the answer must come without the daemon waiting for the body
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(d.socket()));
            OutputStream out = Channels.newOutputStream(ch);
            out.write(("POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(Channels.newInputStream(ch).readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
        assertThat(d.result("service.list", null).isArray()).isTrue();
    }

    @Test
    void aChunkedBodyOverOneMegabyteIsRefused() throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(d.socket()));
            OutputStream out = Channels.newOutputStream(ch);
            out.write("POST /rpc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            String size = Integer.toHexString(chunk.length) + "\r\n";
            try {
                for (int i = 0; i < 20; i++) {
                    out.write(size.getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException closedByServer) {
                // the daemon may close once it has refused the body
            }
            String answer = new String(Channels.newInputStream(ch).readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
        assertThat(d.result("service.list", null).isArray()).isTrue();
    }

    /** A body without a declared length (chunked) is read to its end, as one with a Content-Length is read to that. */
    @Test
    void aChunkedCallIsAnsweredLikeADeclaredOne() throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(d.socket()));
            OutputStream out = Channels.newOutputStream(ch);
            String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"service.list\"}";
            String half = call.substring(0, call.length() / 2);
            String rest = call.substring(half.length());
            out.write(("POST /rpc HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(half.length()) + "\r\n" + half + "\r\n"
                    + Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"id\":7,\"result\":[");
        }
    }

    @Test
    void badInputChangesNothingOnDisk() throws IOException {
        List<Path> before = listTree(d.home);
        d.postRpc("{broken");
        d.call("service.build", Map.of("name", "hero_echo", "profile", 12));
        d.call("service.install", Map.of("name", "hero_echo", "mode", "ftp"));
        d.call("service.start", Map.of("name", "hero_echo", "timeout_ms", -5));
        assertThat(listTree(d.home)).isEqualTo(before);
    }

    @Test
    void keepAliveServesManyCallsOnOneConnection() throws IOException {
        try (var c = new UnixHttpClient(d.socket(), Duration.ofSeconds(10))) {
            for (int i = 0; i < 50; i++) {
                var r = c.post("/rpc", "application/json",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.status\",\"params\":{\"name\":\"hero_echo\"}}".getBytes(StandardCharsets.UTF_8));
                assertThat(r.status()).isEqualTo(200);
            }
        }
    }

    static int errorCode(JsonNode answer) {
        assertThat(answer).as("an answer").isNotNull();
        assertThat(answer.has("error")).as("error in " + answer).isTrue();
        return answer.at("/error/code").asInt();
    }

    static List<Path> listTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.toString().contains("/var/log/")).sorted().toList();
        }
    }
}
