package heromgr.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A JSON-RPC request in the one shape RpcConnection answers itself: {@code POST /rpc HTTP/1.1}, a Host, one
 * Content-Length, and no header that changes how the message is framed or kept (Transfer-Encoding, Expect, Upgrade,
 * a Connection other than keep-alive or close). Anything else, well-formed or not, is not this shape and goes to
 * Jetty's HTTP/1.1 connection, which answers it as it always did: this reader never refuses, it only recognises.
 *
 * @param length     the request's bytes, head and body (the body may still be arriving: see {@link #wholeIn})
 * @param bodyOffset where the body starts, from the request's first byte
 * @param close      the client asked for the connection to be closed after the answer
 */
record PlainRpcRequest(int length, int bodyOffset, boolean close) {
    private static final byte[] REQUEST_LINE = "POST /rpc HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    /** The headers that change how a message is framed or what follows it: with any of them, the request is Jetty's. */
    private static final String[] FRAMING = {"transfer-encoding", "expect", "upgrade", "te", "trailer"};
    /** Ten digits may overflow an int; a body of a billion bytes is far past any limit anyway. */
    private static final int MAX_LENGTH_DIGITS = 9;

    int bodyLength() {
        return length - bodyOffset;
    }

    /** All of the request is in the buffer, from its position. */
    boolean wholeIn(ByteBuffer buffer) {
        return buffer.remaining() >= length;
    }

    /**
     * The request at the buffer's position when it is of the plain shape and its head is all there; empty otherwise
     * (another shape, or a head still to come). The buffer's position is not moved.
     */
    static Optional<PlainRpcRequest> at(ByteBuffer buffer) {
        int start = buffer.position();
        int end = buffer.limit();
        if (end - start < REQUEST_LINE.length || !startsWith(buffer, start, REQUEST_LINE)) return Optional.empty();
        var seen = new Headers();
        int line = start + REQUEST_LINE.length;
        while (true) {
            int lineEnd = lineEnd(buffer, line, end);
            if (lineEnd < 0) return Optional.empty();
            if (lineEnd == line) break;
            if (!seen.read(buffer, line, lineEnd)) return Optional.empty();
            line = lineEnd + 2;
        }
        int bodyOffset = line + 2 - start;
        if (!seen.plain()) return Optional.empty();
        return Optional.of(new PlainRpcRequest(bodyOffset + (int) seen.contentLength, bodyOffset, seen.close));
    }

    /** The CR of the CRLF ending the line that starts at from; -1 when none is there or the line holds a bare CR or LF. */
    private static int lineEnd(ByteBuffer buffer, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = buffer.get(i);
            if (b == '\n') return -1;
            if (b == '\r') return i + 1 < end && buffer.get(i + 1) == '\n' ? i : -1;
        }
        return -1;
    }

    private static boolean startsWith(ByteBuffer buffer, int at, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (buffer.get(at + i) != prefix[i]) return false;
        }
        return true;
    }

    /** What the header lines said so far; a line of another shape than {@code name: value} in visible ASCII ends it. */
    private static final class Headers {
        int hosts;
        int lengths;
        long contentLength;
        boolean close;
        boolean framing;

        boolean plain() {
            return hosts == 1 && lengths == 1 && contentLength > 0 && !framing;
        }

        boolean read(ByteBuffer buffer, int from, int to) {
            int colon = -1;
            for (int i = from; i < to; i++) {
                byte b = buffer.get(i);
                if (colon >= 0) {
                    if (b != '\t' && (b < 0x20 || b > 0x7e)) return false;
                } else if (b == ':') {
                    colon = i;
                } else if (!isTokenChar(b)) {
                    return false;
                }
            }
            if (colon <= from) return false;
            int valueFrom = colon + 1;
            int valueTo = to;
            while (valueFrom < valueTo && isBlank(buffer.get(valueFrom))) valueFrom++;
            while (valueTo > valueFrom && isBlank(buffer.get(valueTo - 1))) valueTo--;
            if (is(buffer, from, colon, "host")) {
                hosts++;
            } else if (is(buffer, from, colon, "content-length")) {
                lengths++;
                contentLength = digits(buffer, valueFrom, valueTo);
            } else if (is(buffer, from, colon, "connection")) {
                if (is(buffer, valueFrom, valueTo, "close")) close = true;
                else if (!is(buffer, valueFrom, valueTo, "keep-alive")) framing = true;
            } else {
                for (String name : FRAMING) framing |= is(buffer, from, colon, name);
            }
            return true;
        }

        /** The bytes from..to are the text (lower case), their ASCII letters compared without regard to case. */
        private static boolean is(ByteBuffer buffer, int from, int to, String text) {
            if (to - from != text.length()) return false;
            for (int i = 0; i < text.length(); i++) {
                int b = buffer.get(from + i);
                if (b >= 'A' && b <= 'Z') b += 'a' - 'A';
                if (b != text.charAt(i)) return false;
            }
            return true;
        }

        private static boolean isBlank(byte b) {
            return b == ' ' || b == '\t';
        }

        /** RFC 9110's tchar: what a field name is made of. */
        private static boolean isTokenChar(byte b) {
            return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
        }

        private static long digits(ByteBuffer buffer, int from, int to) {
            if (from == to || to - from > MAX_LENGTH_DIGITS) return -1;
            long value = 0;
            for (int i = from; i < to; i++) {
                byte b = buffer.get(i);
                if (b < '0' || b > '9') return -1;
                value = value * 10 + (b - '0');
            }
            return value;
        }
    }
}
