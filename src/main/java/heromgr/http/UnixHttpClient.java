package heromgr.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;

/**
 * A small HTTP/1.1 client over a Unix-domain socket, with keep-alive: the CLI's transport and the health
 * probes'. It exists because a full HTTP client costs the CLI most of its start-up time, and both users need
 * only one request at a time with a Content-Length or chunked answer.
 * Not thread-safe: one exchange at a time per instance.
 */
public final class UnixHttpClient implements AutoCloseable {
    /** Answers larger than this are refused rather than read into memory. */
    static final int MAX_BODY = 64 * 1024 * 1024;

    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The header's value, names compared without case; null when absent. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Path socket;
    private final SocketAddress address;
    private final Duration timeout;
    /** Connect through NativeUnixSocket rather than a SocketChannel (the CLI, once it loaded the library). */
    private final boolean nativeSocket;
    private StreamConnection connection;
    private InputStream in;
    private OutputStream out;
    /** Sent as User-Agent when set: lets a server tell a health probe from its users (and keep it out of its log). */
    private String userAgent;

    public UnixHttpClient(Path socket, Duration timeout) {
        this(socket, timeout, NativeUnixSocket.loaded());
    }

    UnixHttpClient(Path socket, Duration timeout, boolean nativeSocket) {
        this.socket = socket;
        this.address = UnixDomainSocketAddress.of(socket);
        this.timeout = timeout;
        this.nativeSocket = nativeSocket;
    }

    /** Over any stream socket: the health probes also speak HTTP to loopback TCP ports, with the same small parser. */
    public UnixHttpClient(SocketAddress address, Duration timeout) {
        this.socket = address instanceof UnixDomainSocketAddress u ? u.getPath() : null;
        this.address = address;
        this.timeout = timeout;
        this.nativeSocket = NativeUnixSocket.loaded();
    }

    /** Names the client in every request's User-Agent header. */
    public UnixHttpClient userAgent(String name) {
        this.userAgent = name;
        return this;
    }

    /** The Unix socket's path; null when talking TCP. */
    public Path socket() {
        return socket;
    }

    public Response get(String path) throws IOException {
        return exchange("GET", path, null, null);
    }

    public Response post(String path, String contentType, byte[] body) throws IOException {
        return exchange("POST", path, contentType, body);
    }

    /**
     * One request and its answer. A kept-alive connection the server has closed meanwhile is reopened once
     * (only when nothing of the answer was read, so a request is never sent twice after a partial answer).
     */
    public Response exchange(String method, String path, String contentType, byte[] body) throws IOException {
        boolean reused = connection != null;
        try {
            return exchangeOnce(method, path, contentType, body);
        } catch (StaleConnection e) {
            close();
            if (!reused) throw new IOException("connection closed by " + peer() + " before an answer");
            return exchangeOnce(method, path, contentType, body);
        }
    }

    private Response exchangeOnce(String method, String path, String contentType, byte[] body) throws IOException {
        if (connection == null) connect(nativeSocket);
        // the watchdog sets its flag before it aborts: the blocked read wakes up to a flag already set
        var watchdog = new Watchdog(connection);
        Watchdog.TIMER.schedule(watchdog, Math.max(1, timeout.toMillis()));
        try {
            writeRequest(method, path, contentType, body);
            Response response = readResponse();
            if ("close".equalsIgnoreCase(response.header("connection"))) close();
            return response;
        } catch (StaleConnection e) {
            // the watchdog closing a silent connection looks like the server closing it: report the timeout
            if (watchdog.fired) {
                close();
                throw new IOException("no answer from " + peer() + " within " + timeout.toMillis() + " ms");
            }
            throw e;
        } catch (IOException e) {
            close();
            if (watchdog.fired) throw new IOException("no answer from " + peer() + " within " + timeout.toMillis() + " ms");
            throw e;
        } finally {
            watchdog.cancel();
        }
    }

    /** Through the native library when allowed and it connects (see NativeUnixSocket), else a SocketChannel. */
    private void connect(boolean nativeAllowed) throws IOException {
        StreamConnection opened = nativeAllowed && socket != null ? NativeUnixSocket.connect(socket).orElse(null) : null;
        connection = opened != null ? opened : connectChannel();
        in = new BufferedInputStream(connection.in(), 16 * 1024);
        out = connection.out();
    }

    private ChannelConnection connectChannel() throws IOException {
        // open() without a family is dual-stack, so an IPv4 and an IPv6 loopback both work
        SocketChannel ch = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        try {
            ch.connect(address);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new ChannelConnection(ch);
    }

    private void writeRequest(String method, String path, String contentType, byte[] body) throws IOException {
        var head = new StringBuilder(128)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n");
        if (userAgent != null) head.append("User-Agent: ").append(userAgent).append("\r\n");
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = body == null ? headBytes : concat(headBytes, body);
        try {
            out.write(all);
        } catch (IOException e) {
            throw new StaleConnection();
        }
    }

    private Response readResponse() throws IOException {
        Head head = readHead();
        Map<String, String> headers = head.headers();
        byte[] body;
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked();
        } else if (length != null) {
            body = readExactly(parseLength(length));
        } else if (head.status() == 204 || head.status() == 304 || head.status() / 100 == 1) {
            body = new byte[0];
        } else {
            body = readToClose();
            headers.put("connection", "close");
        }
        return new Response(head.status(), headers, body);
    }

    private record Head(int status, Map<String, String> headers) {
    }

    private Head readHead() throws IOException {
        String statusLine = readLine(true);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + statusLine);
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(false); !line.isEmpty(); line = readLine(false)) {
            int colon = line.indexOf(':');
            if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Head(status, headers);
    }

    /**
     * GET path and hand back the answer's body as it arrives (server-sent events, log following), without a
     * timeout: the stream lasts until the server ends it or the caller closes this client (from another thread:
     * {@link #abort}).
     */
    public InputStream stream(String path) throws IOException {
        close();
        // a SocketChannel: a stream's reader may be woken by another thread's abort, which a native socket's is not
        connect(false);
        writeRequest("GET", path, null, null);
        Head head = readHead();
        if (head.status() != 200) {
            throw new IOException("GET " + path + " answered HTTP " + head.status());
        }
        if (!"chunked".equalsIgnoreCase(head.headers().get("transfer-encoding"))) return in;
        InputStream raw = in;
        return new InputStream() {
            private int left;
            private boolean done;
            /** A chunk's closing CRLF is read only when the next chunk is wanted: servers send it with that chunk. */
            private boolean chunkOpen;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (done) return -1;
                if (left == 0) {
                    if (chunkOpen) readLine(false);
                    left = chunkSize();
                    chunkOpen = true;
                    if (left == 0) {
                        done = true;
                        return -1;
                    }
                }
                int n = raw.read(b, off, Math.min(len, left));
                if (n < 0) throw new EOFException("stream cut in the middle of a chunk");
                left -= n;
                return n;
            }
        };
    }

    private int chunkSize() throws IOException {
        String sizeLine = readLine(false);
        int semi = sizeLine.indexOf(';');
        try {
            return Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size: " + sizeLine);
        }
    }

    private byte[] readChunked() throws IOException {
        var buf = new ByteArrayOutputStream();
        while (true) {
            int size = chunkSize();
            if (size == 0) {
                while (!readLine(false).isEmpty()) {
                    // trailers are not used
                }
                return buf.toByteArray();
            }
            if (buf.size() + size > MAX_BODY) throw new IOException("answer larger than " + MAX_BODY + " bytes");
            buf.write(readExactly(size));
            readLine(false);
        }
    }

    private int parseLength(String value) throws IOException {
        try {
            long n = Long.parseLong(value);
            if (n < 0 || n > MAX_BODY) throw new IOException("answer length out of range: " + value);
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + value);
        }
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new EOFException("answer cut after " + b.length + " of " + n + " bytes");
        return b;
    }

    private byte[] readToClose() throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) throw new IOException("answer larger than " + MAX_BODY + " bytes");
        return b;
    }

    /** One CRLF-terminated line. EOF before the first byte of an answer means the server had closed the connection. */
    private String readLine(boolean firstOfAnswer) throws IOException {
        var sb = new StringBuilder(64);
        while (true) {
            int c;
            try {
                c = in.read();
            } catch (IOException e) {
                if (firstOfAnswer && sb.isEmpty()) throw new StaleConnection();
                throw e;
            }
            if (c < 0) {
                if (firstOfAnswer && sb.isEmpty()) throw new StaleConnection();
                throw new EOFException("connection closed in the middle of an answer");
            }
            if (c == '\n') break;
            if (c != '\r') sb.append((char) c);
            if (sb.length() > 16 * 1024) throw new IOException("header line too long");
        }
        return sb.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private Object peer() {
        return socket != null ? socket : address;
    }

    /**
     * Ends a {@link #stream} another thread is reading, at once: {@link #close} first makes the channel non-blocking,
     * which waits for the read in progress to return (on /events, the next heartbeat: up to 10 s).
     */
    public void abort() {
        StreamConnection c = connection;
        if (c != null) c.abort();
    }

    @Override
    public void close() {
        if (connection != null) connection.close();
        connection = null;
        in = null;
        out = null;
    }

    /**
     * Aborts the connection of an exchange that outlives its timeout, which fails the blocked read. One shared timer
     * thread: the CLI's start-up would pay ~3 ms (more on a busy machine) for the common ForkJoinPool that
     * CompletableFuture's delayed executor starts.
     */
    private static final class Watchdog extends TimerTask {
        static final Timer TIMER = new Timer("unix-http-timeouts", true);

        private final StreamConnection connection;
        volatile boolean fired;

        Watchdog(StreamConnection connection) {
            this.connection = connection;
        }

        @Override
        public void run() {
            fired = true;
            try {
                connection.abort();
            } catch (RuntimeException e) {
                // never let one close end the shared timer thread
            }
        }
    }

    /** The kept-alive connection was closed by the server before this exchange. */
    private static final class StaleConnection extends IOException {
        StaleConnection() {
            super("stale connection");
        }
    }
}
