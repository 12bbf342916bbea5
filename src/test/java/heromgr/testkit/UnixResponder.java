package heromgr.testkit;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal HTTP/1.1 responder on a Unix socket for probe tests: one fixed answer per connection, or none
 * at all (silent) to make a probe time out. Closing it closes every connection it accepted. Public for the
 * daemon tests that need a service to turn healthy at a moment of their choosing.
 */
public final class UnixResponder implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final List<SocketChannel> accepted = new ArrayList<>();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private volatile int status;
    private volatile String body;
    private final boolean silent;

    private UnixResponder(Path socket, int status, String body, boolean silent) throws IOException {
        this.socket = socket;
        this.status = status;
        this.body = body;
        this.silent = silent;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(this::serve);
    }

    public static UnixResponder answering(Path socket, int status, String body) throws IOException {
        return new UnixResponder(socket, status, body, false);
    }

    public static UnixResponder silent(Path socket) throws IOException {
        return new UnixResponder(socket, 0, "", true);
    }

    /** The request line and headers of each request answered so far. */
    public List<String> requests() {
        return List.copyOf(heads);
    }

    public void answer(int newStatus, String newBody) {
        status = newStatus;
        body = newBody;
    }

    private void serve() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                synchronized (accepted) {
                    accepted.add(ch);
                }
                if (!silent) Thread.ofVirtual().start(() -> respond(ch));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void respond(SocketChannel ch) {
        try (ch) {
            var head = new StringBuilder();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (!head.toString().contains("\r\n\r\n") && ch.read(buf) >= 0) {
                head.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
                buf.clear();
            }
            heads.add(head.toString());
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String answer = "HTTP/1.1 " + status + " X\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
            ch.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.ISO_8859_1)));
            ch.write(ByteBuffer.wrap(b));
        } catch (IOException e) {
            // the prober gave up
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (accepted) {
            for (SocketChannel ch : accepted) ch.close();
        }
        Files.deleteIfExists(socket);
    }
}
