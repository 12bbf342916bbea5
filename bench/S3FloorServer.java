import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The least a JVM can do for the harness's S3 client (issue 15, bench/s3_floor.py): the JDK's Unix socket channels,
 * one platform thread per connection blocked in read, every request answered with the same canned HTTP answer. Run
 * with the daemon's JVM flags, it is the floor a JVM puts under a call before any HTTP server or JSON-RPC code.
 *
 *     java [flags] bench/S3FloorServer.java SOCKET ANSWER_FILE
 */
public final class S3FloorServer {
    public static void main(String[] args) throws IOException {
        byte[] answer = Files.readAllBytes(Path.of(args[1]));
        Path socket = Path.of(args[0]);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        while (true) {
            SocketChannel client = server.accept();
            Thread.ofPlatform().start(() -> serve(client, answer));
        }
    }

    private static void serve(SocketChannel client, byte[] answer) {
        ByteBuffer in = ByteBuffer.allocate(65536);
        try (client) {
            while (client.read(in) > 0) {
                int total;
                while ((total = completeRequest(in.array(), in.position())) > 0) {
                    ByteBuffer out = ByteBuffer.wrap(answer);
                    while (out.hasRemaining()) client.write(out);
                    in.flip().position(total);
                    in.compact();
                }
            }
        } catch (IOException closed) {
            // the client went away: this connection's thread ends
        }
    }

    /** The length of the first request in bytes[0, length) once it is all there, else 0 (also S3JettyConnectionFloorServer's). */
    static int completeRequest(byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) return 0;
        String head = text.substring(0, headEnd).toLowerCase();
        int key = head.indexOf("content-length:");
        int bodyLength = 0;
        if (key >= 0) {
            int lineEnd = head.indexOf("\r\n", key);
            bodyLength = Integer.parseInt(head.substring(key + 15, lineEnd < 0 ? head.length() : lineEnd).trim());
        }
        int total = headEnd + 4 + bodyLength;
        return length >= total ? total : 0;
    }
}
