package heromgr.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** The server side of a client test: one connection, one request, one answer, then watch how the client ends it. */
final class OneAnswerServer {
    private OneAnswerServer() {
    }

    /**
     * Accepts one connection, reads one request (its head and a body of requestBodyLength), answers 200 with body,
     * then returns what the next read gives (-1: the client's end of the connection).
     */
    static int answerThenReadToEnd(ServerSocketChannel server, int requestBodyLength, byte[] body) {
        try (SocketChannel ch = server.accept()) {
            InputStream in = Channels.newInputStream(ch);
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) return -2;
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            if (in.readNBytes(requestBodyLength).length != requestBodyLength) return -3;
            var out = Channels.newOutputStream(ch);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            return in.read();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
