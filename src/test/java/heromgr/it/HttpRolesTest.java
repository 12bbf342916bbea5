package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.rpc.Access;
import heromgr.rpc.OpenRpcContract;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The roles on the loopback HTTP listener, by token: the operator token operates, the viewer token (its own 0600
 * file) reads, /metrics included, and is refused what changes something with the same -32012 as a viewer-group
 * member on the socket. GET /access tells each token's page its role and the methods it may call.
 */
class HttpRolesTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(Services.all(), Map.of("HEROMGR_HTTP", "127.0.0.1:0"));
    static final OpenRpcContract CONTRACT = OpenRpcContract.load(JsonCodec.MAPPER);
    static TestDaemon d;
    static URI url;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void up() {
        d = daemons.daemon();
        url = URI.create(d.daemon.httpUrl().orElseThrow());
    }

    static String token(String file) throws IOException {
        Path path = d.paths.state().resolve(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as(file).isEqualTo("rw-------");
        return Files.readString(path).strip();
    }

    static HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(url.resolve(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode rpc(String token, String method, String params) throws Exception {
        Matcher csrf = Pattern.compile("name=\"heromgr-csrf\" content=\"([0-9a-f]+)\"").matcher(get("/", token).body());
        assertThat(csrf.find()).isTrue();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        var answer = http.send(HttpRequest.newBuilder(url.resolve("/rpc")).header("Authorization", "Bearer " + token)
                .header("X-Heromgr-Csrf", csrf.group(1)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(answer.body());
    }

    static List<String> texts(JsonNode array) throws IOException {
        return List.of(JsonCodec.MAPPER.treeToValue(array, String[].class));
    }

    @Test
    void theViewerTokenReadsAndIsRefusedChangesTheOperatorTokenOperates() throws Exception {
        String operator = token("http.token");
        String viewer = token("http-viewer.token");
        assertThat(viewer).matches("[0-9a-f]{64}").isNotEqualTo(operator);

        var metrics = get("/metrics", viewer);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(PrometheusText.parse(metrics.body()).value("heromgr_service_state",
                Map.of("service", "hero_echo", "state", "STOPPED"))).isEqualTo(1);

        assertThat(rpc(viewer, "service.list", "{}").get("result").findValuesAsText("name")).contains("hero_echo");
        JsonNode refused = rpc(viewer, "service.stop", "{\"name\":\"hero_echo\"}");
        assertThat(refused.at("/error/code").asInt()).as(refused.toString()).isEqualTo(-32012);
        assertThat(refused.at("/error/message").asText()).contains("'http-viewer'", "may only read");

        // what the page asks to know which buttons to offer: the document's marks against the token's role
        JsonNode seen = JsonCodec.MAPPER.readTree(get("/access", viewer).body());
        assertThat(seen.get("caller").asText()).isEqualTo("http-viewer");
        assertThat(seen.get("access").asText()).isEqualTo("read");
        List<String> reads = CONTRACT.methodNames().stream().filter(m -> CONTRACT.access(m) == Access.READ).sorted().toList();
        assertThat(texts(seen.get("may_call"))).isEqualTo(reads).contains("service.list", "service.verify").doesNotContain("service.stop");
        JsonNode operating = JsonCodec.MAPPER.readTree(get("/access", operator).body());
        assertThat(operating.get("access").asText()).isEqualTo("operate");
        assertThat(texts(operating.get("may_call"))).isEqualTo(CONTRACT.methodNames().stream().sorted().toList());

        JsonNode stopped = rpc(operator, "service.stop", "{\"name\":\"hero_echo\"}");
        assertThat(stopped.at("/result/state").asText()).as(stopped.toString()).isEqualTo("STOPPED");
        assertThat(d.result("service.ops", Map.of("name", "hero_echo")).at("/0/caller").asText()).isEqualTo("http-operator");
    }

    @Test
    void rpcHttpAnswersTheOpenListenerRefusesAViewerAndAnotherAddress() throws Exception {
        String operator = token("http.token");
        JsonNode refused = rpc(token("http-viewer.token"), "rpc.http", "{}");
        assertThat(refused.at("/error/code").asInt()).as(refused.toString()).isEqualTo(-32012);

        JsonNode open = rpc(operator, "rpc.http", "{}");
        assertThat(open.at("/result/url").asText()).as(open.toString()).isEqualTo(url.toString());
        assertThat(open.at("/result/opened").asBoolean()).isFalse();
        assertThat(open.at("/result/token_file").asText()).isEqualTo(d.paths.state().resolve("http.token").toString());
        JsonNode same = rpc(operator, "rpc.http", "{\"address\":\"127.0.0.1:" + url.getPort() + "\"}");
        assertThat(same.at("/result/url").asText()).as(same.toString()).isEqualTo(url.toString());

        JsonNode other = rpc(operator, "rpc.http", "{\"address\":\"[::1]:" + (url.getPort() == 1 ? 2 : url.getPort() - 1) + "\"}");
        assertThat(other.at("/error/code").asInt()).as(other.toString()).isEqualTo(-32602);
        assertThat(other.at("/error/message").asText()).contains("listens on " + url);
        JsonNode outside = rpc(operator, "rpc.http", "{\"address\":\"0.0.0.0:0\"}");
        assertThat(outside.at("/error/code").asInt()).as(outside.toString()).isEqualTo(-32602);
        assertThat(outside.at("/error/message").asText()).contains("address 0.0.0.0:0: not a loopback address");
    }
}
