package heromgr.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PlainRpcRequestTest {
    static final String BODY = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.list\"}";
    static final String HEAD = "POST /rpc HTTP/1.1\r\nHost: heromgr\r\nContent-Type: application/json\r\nContent-Length: "
            + BODY.length() + "\r\n";

    static Optional<PlainRpcRequest> read(String text) {
        return PlainRpcRequest.at(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aWholeRequestIsReadWithItsLengthAndBody() {
        String request = HEAD + "\r\n" + BODY;
        var plain = read(request + "POST /rpc").orElseThrow();
        assertThat(plain.length()).isEqualTo(request.length());
        assertThat(plain.bodyOffset()).isEqualTo(HEAD.length() + 2);
        assertThat(plain.bodyLength()).isEqualTo(BODY.length());
        assertThat(plain.close()).isFalse();
    }

    @Test
    void theBufferPositionIsWhereTheRequestStarts() {
        String request = HEAD + "\r\n" + BODY;
        ByteBuffer buffer = ByteBuffer.wrap(("xyz" + request).getBytes(StandardCharsets.ISO_8859_1));
        buffer.position(3);
        assertThat(PlainRpcRequest.at(buffer)).map(PlainRpcRequest::length).contains(request.length());
        assertThat(buffer.position()).isEqualTo(3);
    }

    @Test
    void connectionCloseAndKeepAliveAreRead() {
        assertThat(read(HEAD + "Connection: close\r\n\r\n" + BODY).orElseThrow().close()).isTrue();
        assertThat(read(HEAD + "connection:Keep-Alive\r\n\r\n" + BODY).orElseThrow().close()).isFalse();
    }

    @Test
    void aHeadStillArrivingIsNotYetARequestABodyStillArrivingIs() {
        String request = HEAD + "\r\n" + BODY;
        int headEnd = HEAD.length() + 2;
        for (int cut = 0; cut < request.length(); cut++) {
            ByteBuffer part = ByteBuffer.wrap(request.substring(0, cut).getBytes(StandardCharsets.ISO_8859_1));
            var plain = PlainRpcRequest.at(part);
            if (cut < headEnd) {
                assertThat(plain).as("the first %d bytes", cut).isEmpty();
            } else {
                assertThat(plain).as("the first %d bytes", cut).map(PlainRpcRequest::length).contains(request.length());
                assertThat(plain.orElseThrow().wholeIn(part)).isFalse();
            }
        }
        assertThat(PlainRpcRequest.at(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1))).orElseThrow()
                .wholeIn(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.0\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
            "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nHost: y\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: +2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999999\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: h2c\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length : 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\n Folded: line\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nX-Name: caf\u00e9\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nNoColon\r\nContent-Length: 2\r\n\r\n{}",
            "POST /rpc HTTP/1.1\r\nHost: x\r\nX(y): z\r\nContent-Length: 2\r\n\r\n{}",
            " POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"})
    void anyOtherShapeIsJettys(String request) {
        assertThat(read(request)).isEmpty();
    }

    @Test
    void headerNamesAreReadWithoutRegardToCase() {
        assertThat(read("POST /rpc HTTP/1.1\r\nHOST: x\r\ncontent-LENGTH:2\r\n\r\n{}")).map(PlainRpcRequest::bodyLength).contains(2);
    }
}
