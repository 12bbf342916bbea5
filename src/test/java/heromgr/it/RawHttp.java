package heromgr.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written and read byte by byte on a Unix channel, for tests that decide how a request reaches the daemon
 * (whole, in pieces, two in one write) and read exactly what comes back.
 */
final class RawHttp {
    private RawHttp() {
    }

    static String post(String body, String... headers) {
        return "POST /rpc HTTP/1.1\r\nHost: heromgr\r\nContent-Type: application/json\r\n" + String.join("", headers)
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    static void write(SocketChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) channel.write(bytes);
    }

    /** Writes first, then (after the daemon had time to read it alone) rest; returns the one answer, head and body. */
    static String exchange(SocketChannel channel, String first, String rest) throws Exception {
        write(channel, first);
        if (!rest.isEmpty()) {
            Thread.sleep(200);  // the client's pace, not a wait for the daemon: the two writes must arrive apart
            write(channel, rest);
        }
        return readAnswer(channel);
    }

    /** One answer, head and body; the bytes of a later answer read with it are an error of the test's making. */
    static String readAnswer(SocketChannel channel) throws IOException {
        var text = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(1);
        while (true) {
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0 && text.length() >= headEnd + 4 + contentLength(text.substring(0, headEnd))) return text.toString();
            buffer.clear();
            if (channel.read(buffer) < 0) throw new IOException("the daemon closed the connection: " + text);
            text.append((char) (buffer.get(0) & 0xff));
        }
    }

    static String body(String answer) {
        return new String(answer.substring(answer.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    static String head(String answer) {
        return answer.substring(0, answer.indexOf("\r\n\r\n"));
    }

    static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) return Integer.parseInt(line.substring(15).trim());
        }
        return 0;
    }
}
