package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;

import static heromgr.it.RawHttp.body;
import static heromgr.it.RawHttp.exchange;
import static heromgr.it.RawHttp.head;
import static heromgr.it.RawHttp.post;
import static heromgr.it.RawHttp.readAnswer;
import static heromgr.it.RawHttp.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * server.RpcConnection, end to end on the daemon's socket: a call that arrives whole is answered by it, anything else by
 * Jetty's HTTP/1.1 connection, which takes the connection over with the bytes read so far and the caller it was let in
 * as. The client cannot tell which answered: the same heads, bodies, order and closes.
 */
@Timeout(60)
class RpcConnectionTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon();

    static final ObjectMapper JSON = new ObjectMapper();

    static String status(int id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"service.status\",\"params\":{\"name\":\"nobody_here\"}}";
    }

    static SocketChannel connect(TestDaemon d) throws Exception {
        return SocketChannel.open(UnixDomainSocketAddress.of(d.socket()));
    }

    @Test
    void callsPipelinedInOneWriteAreAnsweredInTheirOrder() throws Exception {
        String list = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"service.list\"}";
        try (SocketChannel channel = connect(daemons.daemon())) {
            // a quick read, a call for a thread of its own, a quick read: each answer waits for the one before
            write(channel, post(status(1)) + post(list) + post(status(3)));
            assertThat(id(readAnswer(channel))).isEqualTo(1);
            String second = readAnswer(channel);
            assertThat(id(second)).isEqualTo(2);
            assertThat(JSON.readTree(body(second)).get("result").isArray()).isTrue();
            assertThat(id(readAnswer(channel))).isEqualTo(3);
        }
    }

    @Test
    void anAnswerHasTheHeadJettyWritesForTheSameCall() throws Exception {
        try (SocketChannel channel = connect(daemons.daemon())) {
            String whole = exchange(channel, post(status(1)), "");
            String request = post(status(1));
            // the head in two pieces a moment apart: Jetty reads it, and serves the connection from then on
            String pieces = exchange(channel, request.substring(0, 24), request.substring(24));
            assertThat(headerNames(whole)).isEqualTo(headerNames(pieces)).containsExactly("date", "content-type", "content-length");
            assertThat(head(whole).lines().findFirst()).contains("HTTP/1.1 200 OK");
            assertThat(body(whole)).isEqualTo(body(pieces));
            assertThat(id(exchange(channel, post(status(4)), ""))).as("the next call, Jetty's now").isEqualTo(4);
        }
    }

    @Test
    void aCallAskingForCloseIsAnsweredAndTheConnectionClosed() throws Exception {
        try (SocketChannel channel = connect(daemons.daemon())) {
            String answer = exchange(channel, post(status(5), "Connection: close\r\n"), "");
            assertThat(id(answer)).isEqualTo(5);
            assertThat(headerNames(answer)).contains("connection");
            assertThat(head(answer)).contains("Connection: close");
            assertThat(channel.read(ByteBuffer.allocate(16))).as("end of stream after the answer").isEqualTo(-1);
        }
    }

    @Test
    void aNotificationIsAnsweredWithNoContentAndTheConnectionGoesOn() throws Exception {
        String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"service.list\"}";
        try (SocketChannel channel = connect(daemons.daemon())) {
            String answer = exchange(channel, post(notification), "");
            assertThat(head(answer)).startsWith("HTTP/1.1 204 No Content");
            assertThat(headerNames(answer)).containsExactly("date");
            assertThat(id(exchange(channel, post(status(6)), ""))).isEqualTo(6);
        }
    }

    @Test
    void theCallerGoesWithTheConnectionToJetty() throws Exception {
        try (SocketChannel channel = connect(daemons.daemon())) {
            assertThat(id(exchange(channel, post(status(7)), ""))).isEqualTo(7);
            // the peer's caller was taken by the first call; GET /access on the same connection is Jetty's to answer
            JsonNode access = JSON.readTree(body(exchange(channel, "GET /access HTTP/1.1\r\nHost: heromgr\r\n\r\n", "")));
            assertThat(access.get("caller").asText()).isEqualTo(System.getProperty("user.name"));
            assertThat(access.get("access").asText()).isEqualTo("operate");
        }
    }

    @Test
    void aRequestJettyRefusesIsStillRefusedByJetty() throws Exception {
        try (SocketChannel channel = connect(daemons.daemon())) {
            String noHost = "POST /rpc HTTP/1.1\r\nContent-Length: " + status(8).length() + "\r\n\r\n" + status(8);
            assertThat(exchange(channel, noHost, "")).startsWith("HTTP/1.1 400");
        }
        try (SocketChannel channel = connect(daemons.daemon())) {
            String twoLengths = post(status(9), "Content-Length: " + status(9).length() + "\r\n");
            assertThat(exchange(channel, twoLengths, "")).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void aBatchAndACallLargerThanTheBufferAreAnsweredToo() throws Exception {
        String batch = "[" + status(10) + "," + status(11) + "]";
        // a body past the connection's 8 KiB buffer: read on into an array of its own
        String padded = "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"service.status\",\"params\":{\"name\":\"nobody_here\"}"
                + " ".repeat(12 * 1024) + "}";
        try (SocketChannel channel = connect(daemons.daemon())) {
            JsonNode answers = JSON.readTree(body(exchange(channel, post(batch), "")));
            assertThat(answers.findValuesAsText("id")).containsExactlyInAnyOrder("10", "11");
            assertThat(id(exchange(channel, post(padded), ""))).isEqualTo(12);
            // and one whose body comes a moment after its head
            String request = post(status(14));
            assertThat(id(exchange(channel, request.substring(0, request.length() - 10), request.substring(request.length() - 10))))
                    .isEqualTo(14);
            assertThat(id(exchange(channel, post(status(13)), ""))).isEqualTo(13);
        }
    }

    private static int id(String answer) throws Exception {
        return JSON.readTree(body(answer)).get("id").asInt();
    }

    private static List<String> headerNames(String answer) {
        return Arrays.stream(head(answer).split("\r\n")).skip(1).map(line -> line.substring(0, line.indexOf(':')).toLowerCase()).toList();
    }
}
