package heromgr.it;

import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static heromgr.it.RawHttp.body;
import static heromgr.it.RawHttp.exchange;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service.status answered on the selector thread (by server.RpcConnection, and by server.QuickReadPath on a connection
 * Jetty took over) is the same answer, metered the same, as one parsed by Jackson or handed to a thread of its own; a
 * body that arrives in pieces is still read whole, on either connection.
 */
@Timeout(60)
class QuickReadPathTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon();

    static final String STATUS = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"service.status\",\"params\":{\"name\":\"nobody_here\"}}";

    @Test
    void aStatusWhoseBodyArrivesInPiecesIsAnsweredAsAWholeOne() throws Exception {
        TestDaemon d = daemons.daemon();
        for (boolean jettys : new boolean[] {false, true}) {
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(d.socket()))) {
                if (jettys) toJetty(channel);
                String whole = exchange(channel, request(STATUS), "");
                // the head and half the body, then the rest: the daemon sees the first piece alone (RpcConnection reads
                // on into the body's array; behind Jetty, what was read goes with the request to a thread that waits)
                String pieces = inTwo(channel, STATUS);
                assertThat(body(pieces)).isEqualTo(body(whole)).contains("\"code\":-32001").contains("\"id\":7");
            }
        }
    }

    @Test
    void everyWayAStatusGoesGivesTheSameBytes() throws Exception {
        TestDaemon d = daemons.daemon();
        // started once and stopped: its action, its job's start and end and its exit are in the answer, and stay put
        d.result("service.create", Map.of("name", "quiet_one", "argv", List.of("/bin/sleep", "100000.15")));
        d.result("service.stop", Map.of("name", "quiet_one"));
        String plain = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"service.status\",\"params\":{\"name\":\"quiet_one\"}}";
        String escaped = plain.replace("quiet_one", "quiet\\u005fone");
        String quick;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(d.socket()))) {
            quick = body(exchange(channel, request(plain), ""));
        }
        assertThat(quick).contains("\"name\":\"quiet_one\"").contains("\"state\":\"STOPPED\"").contains("\"log_file\"").contains("\"end\":\"");
        for (boolean jettys : new boolean[] {false, true}) {
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(d.socket()))) {
                if (jettys) toJetty(channel);
                assertThat(body(inTwo(channel, plain))).as("read whole before it is answered").isEqualTo(quick);
                // answers of other lengths in between: the reused buffer must not carry one answer's bytes into the next
                for (int i = 0; i < 3; i++) {
                    assertThat(body(exchange(channel, request(STATUS), ""))).contains("\"code\":-32001");
                    assertThat(body(exchange(channel, request(escaped), ""))).as("parsed by Jackson").isEqualTo(quick);
                    assertThat(body(exchange(channel, request(plain), ""))).as("read by hand").isEqualTo(quick);
                }
            }
        }
    }

    /** A first call whose head comes in two pieces: Jetty's HTTP/1.1 connection serves the channel from then on. */
    private static void toJetty(SocketChannel channel) throws Exception {
        String first = request(STATUS);
        assertThat(exchange(channel, first.substring(0, 24), first.substring(24))).contains("\"id\":7");
    }

    /** The head and half the body, then the rest. */
    private static String inTwo(SocketChannel channel, String call) throws Exception {
        String whole = request(call);
        int cut = whole.length() - call.length() + call.length() / 2;
        return exchange(channel, whole.substring(0, cut), whole.substring(cut));
    }

    @Test
    void aStatusNotificationIsAnsweredWithNoContent() throws Exception {
        TestDaemon d = daemons.daemon();
        String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"service.status\",\"params\":{\"name\":\"nobody_here\"}}";
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(d.socket()))) {
            assertThat(exchange(channel, request(notification), "")).startsWith("HTTP/1.1 204");
            assertThat(exchange(channel, request(STATUS), "")).startsWith("HTTP/1.1 200").contains("\"id\":7");
        }
    }

    @Test
    void quickReadsAreMeteredAsEveryCall() throws Exception {
        TestDaemon d = daemons.daemon();
        String calls = "heromgr_rpc_request_duration_seconds_count";
        Map<String, String> notFound = Map.of("method", "service.status", "code", "-32001");
        double before = PrometheusText.parse(scrape(d)).valueOrZero(calls, notFound);
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(d.socket()))) {
            for (int i = 0; i < 5; i++) exchange(channel, request(STATUS), "");
        }
        assertThat(PrometheusText.parse(scrape(d)).valueOrZero(calls, notFound) - before).isEqualTo(5);
    }

    private static String scrape(TestDaemon d) throws IOException {
        return new String(d.http("GET", "/metrics", null).body(), StandardCharsets.UTF_8);
    }

    private static String request(String body) {
        return RawHttp.post(body);
    }
}
