package heromgr.rpc;

import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Which bodies a server may answer on the thread that read them: one status call, nothing else. */
class QuickReadsTest {
    static boolean quick(String body) {
        return QuickReads.call(QuickReads.reader(JsonCodec.MAPPER), body.getBytes(StandardCharsets.UTF_8)).isPresent();
    }

    @Test
    void aSingleStatusCallIsAQuickReadWhereverItsMethodStands() {
        assertThat(quick("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.status\",\"params\":{\"name\":\"a\"}}")).isTrue();
        assertThat(quick("{\"params\":{\"name\":\"a\",\"nested\":[{\"method\":\"service.start\"}]},\"method\":\"service.status\"}"))
                .isTrue();
        assertThat(quick("{\"jsonrpc\":\"2.0\",\"id\":\"a\\u0062\",\"method\":\"service.status\"}")).as("escaped: Jackson's").isTrue();
    }

    @Test
    void everythingElseGoesTheUsualWay() {
        assertThat(quick("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.start\",\"params\":{\"name\":\"service.status\"}}"))
                .as("another method naming status in its params").isFalse();
        assertThat(quick("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.status\",\"params\":{\"name\":\"a\"}}]"))
                .as("a batch").isFalse();
        assertThat(quick("{\"method\":\"service.status\",\"method\":\"service.start\"}")).as("two methods").isFalse();
        assertThat(quick("{\"method\":\"service.start\",\"method\":\"service.status\"}")).as("two methods").isFalse();
        assertThat(quick("{\"method\":[\"service.status\"]}")).as("not a string").isFalse();
        assertThat(quick("{\"method\":\"service.status\"")).as("cut short").isFalse();
        assertThat(quick("{\"jsonrpc\":\"2.0\",\"id\":1}")).as("no method").isFalse();
        assertThat(quick("\"service.status\"")).isFalse();
        assertThat(quick("")).isFalse();
        assertThat(quick("{\"method\":\"service.status\"} {}")).as("text after the call").isFalse();
        assertThat(quick("{\"method\":\"service.status\",\"p\":{\"a\":1,\"a\":2}}")).as("a key given twice").isFalse();
        assertThat(QuickReads.call(QuickReads.reader(JsonCodec.MAPPER), new byte[]{'{', '"', 'x', '"', ':', '"', (byte) 0xC3, '"', '}'}))
                .as("not UTF-8").isEmpty();
        assertThat(quick("{\"method\":\"service.status\",\"pad\":\"" + "x".repeat(QuickReads.MAX_BODY) + "\"}"))
                .as("longer than a quick read's parse may take").isFalse();
    }
}
