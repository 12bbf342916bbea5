package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.cli.Main;
import heromgr.cli.Terminal;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.EventRecorder;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Downloads report their progress on the event stream: operation events of phase "progress" naming the operation
 * (its id, recognizable by the caller's JSON-RPC id in the start event), the binary and asset, bytes done and the
 * total; paced, with a last one at the total. The asset is ELF magic and 2 MiB of noise, served slowly.
 */
class DownloadProgressTest {
    static final String ASSET = "hero_echo_server-linux-amd64-musl";
    static final int SIZE = 2 * 1024 * 1024 + 4;

    FakeForge forge;
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    TestDaemon d;
    EventRecorder events;

    @BeforeEach
    void up() throws IOException {
        byte[] body = new byte[SIZE];
        new Random(7).nextBytes(body);
        System.arraycopy(new byte[] {0x7f, 'E', 'L', 'F'}, 0, body, 0, 4);
        forge = new FakeForge("hero/hero_echo");
        forge.release("v1.0.0", Instant.parse("2026-10-01T12:00:00Z"), Map.of(ASSET, body));
        forge.slowAsset = ASSET;
        d = daemons.start(Services.all(), Map.of("FORGEJO_URL", forge.url()));
        events = EventRecorder.follow(d.socket(), "?type=operation&service=hero_echo");
    }

    @AfterEach
    void down() throws Exception {
        try {
            events.close();
        } finally {
            forge.close();
        }
    }

    /** The operation the call with this JSON-RPC id started, by its start event. */
    String operationOf(String requestId) {
        return events.awaitEvent(e -> requestId.equals(e.at("/data/request_id").asText(null))).at("/data/id").asText();
    }

    List<JsonNode> progressOf(String op) {
        return events.matching(e -> e.at("/data/phase").asText().equals("progress") && e.at("/data/id").asText().equals(op));
    }

    @Test
    void anInstallReportsPacedIncreasingBytesEndingAtTheTotal() {
        JsonNode answer = d.postRpc("""
                {"jsonrpc":"2.0","id":"install-42","method":"service.install","params":{"name":"hero_echo","mode":"download"}}""");
        assertThat(answer.at("/result/changed").asBoolean()).as(answer.toString()).isTrue();
        String op = operationOf("install-42");
        JsonNode end = events.awaitEvent(e -> e.at("/data/phase").asText().equals("end") && e.at("/data/id").asText().equals(op));

        List<JsonNode> progress = progressOf(op);
        assertThat(progress.size()).as("progress events").isGreaterThanOrEqualTo(2)
                // paced: one per 100 ms at most (plus first and last), far fewer than the 33 pieces the forge sent
                .isLessThan(SIZE / FakeForge.SLOW_CHUNK);
        long before = -1;
        for (JsonNode p : progress) {
            assertThat(p.at("/data/method").asText()).isEqualTo("service.install");
            assertThat(p.at("/data/binary").asText()).isEqualTo("hero_echo_server");
            assertThat(p.at("/data/asset").asText()).isEqualTo(ASSET);
            assertThat(p.at("/data/bytes_total").asLong()).isEqualTo(SIZE);
            assertThat(p.at("/data/bytes_done").asLong()).isGreaterThanOrEqualTo(before);
            before = p.at("/data/bytes_done").asLong();
        }
        assertThat(progress.getFirst().at("/data/bytes_done").asLong()).isLessThan(SIZE);
        assertThat(progress.getLast().at("/data/bytes_done").asLong()).isEqualTo(SIZE);
        assertThat(progress.getLast().get("seq").asLong()).isLessThan(end.get("seq").asLong());
        assertThat(end.at("/data/outcome").asText()).isEqualTo("ok");
        assertThat(d.result("service.ops", Map.of("name", "hero_echo")).at("/0/id").asText()).isEqualTo(op);
    }

    /** The CLI in-process on a terminal that says it is interactive (a real TTY cannot be had cheaply in a test). */
    String[] cli(boolean interactive, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var terminal = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("HEROMGR_SOCKET", d.socket().toString()), false, interactive);
        int code = Main.execute(args, terminal);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void theCliDrawsItsOwnDownloadOnATerminalAndErasesTheBar() {
        String[] run = cli(true, "service", "install", "hero_echo", "--mode", "download");
        assertThat(run[0]).as(run[2]).isEqualTo("0");
        assertThat(run[2]).startsWith("\rhero_echo_server  [").contains("100%  2.0 MiB / 2.0 MiB")
                .containsPattern("\\r {60,}\\r$");
        assertThat(run[1]).doesNotContain("\r").contains("v1.0.0");
    }

    @Test
    void noBarWithoutATerminalOrWithJson() {
        String[] plain = cli(false, "service", "install", "hero_echo", "--mode", "download");
        assertThat(plain[0]).as(plain[2]).isEqualTo("0");
        assertThat(plain[2]).isEmpty();
        String[] json = cli(true, "service", "install", "hero_echo", "--mode", "download", "--force", "--json");
        assertThat(json[0]).as(json[2]).isEqualTo("0");
        assertThat(json[2]).isEmpty();
        assertThat(json[1]).startsWith("{").doesNotContain("\r");
    }

    @Test
    void aDeployNamesItsOwnOperationInItsProgress() {
        // the noise is no runnable binary, so the deploy fails at its start step: the download reported all the same
        JsonNode answer = d.postRpc("""
                {"jsonrpc":"2.0","id":7,"method":"service.deploy","params":{"name":"hero_echo","mode":"download","timeout_ms":2000}}""");
        assertThat(answer.has("error")).as(answer.toString()).isTrue();
        String op = operationOf("7");
        events.awaitEvent(e -> e.at("/data/phase").asText().equals("end") && e.at("/data/id").asText().equals(op));
        List<JsonNode> progress = progressOf(op);
        assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p.at("/data/method").asText()).isEqualTo("service.deploy"));
        assertThat(progress.getLast().at("/data/bytes_done").asLong()).isEqualTo(SIZE);
    }
}
