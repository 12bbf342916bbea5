import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jetty's selector and endpoints without its HTTP layer (issue 15, bench/s3_floor.py): a connection of its own on the
 * Unix connector, as the daemon's RpcConnection is, answering every whole request with the canned HTTP answer on the
 * selector thread. The floor under RpcConnection's calls: what Jetty's I/O costs once its parser, request, response
 * and generator are out of the way.
 *
 *     java -cp 'target/lib/*' [flags] bench/S3JettyConnectionFloorServer.java SOCKET ANSWER_FILE
 */
public final class S3JettyConnectionFloorServer {
    public static void main(String[] args) throws Exception {
        byte[] answer = Files.readAllBytes(Path.of(args[1]));
        var threads = new QueuedThreadPool();
        threads.setMinThreads(2);
        threads.setReservedThreads(0);
        var server = new Server(threads);
        var factory = new AbstractConnectionFactory("canned") {
            @Override
            public Connection newConnection(Connector connector, EndPoint endPoint) {
                return configure(new Canned(endPoint, connector, answer), connector, endPoint);
            }
        };
        var connector = new UnixDomainServerConnector(server, factory);
        Files.deleteIfExists(Path.of(args[0])); // a killed run's socket: Jetty refuses to bind over it
        connector.setUnixDomainPath(Path.of(args[0]));
        server.addConnector(connector);
        server.start();
        server.join();
    }

    /** Reads whole requests (Jetty's buffers are in flush mode: fill appends after the limit) and answers each. */
    private static final class Canned extends AbstractConnection.NonBlocking implements Callback {
        private final ByteBuffer in = BufferUtil.allocate(16384);
        private final byte[] answer;

        Canned(EndPoint endPoint, Connector connector, byte[] answer) {
            super(endPoint, connector.getExecutor());
            this.answer = answer;
        }

        @Override
        public void onOpen() {
            super.onOpen();
            fillInterested();
        }

        @Override
        public void onFillable() {
            try {
                BufferUtil.compact(in);
                if (getEndPoint().fill(in) < 0) {
                    getEndPoint().close();
                    return;
                }
                succeeded();
            } catch (Exception e) {
                getEndPoint().close(e);
            }
        }

        /** After a write (or a read): the next whole request is answered, else more is read. */
        @Override
        public void succeeded() {
            byte[] buffered = new byte[in.remaining()];
            in.duplicate().get(buffered);
            int total = S3FloorServer.completeRequest(buffered, buffered.length);
            if (total == 0) {
                fillInterested();
                return;
            }
            in.position(in.position() + total);
            getEndPoint().write(this, ByteBuffer.wrap(answer));
        }

        @Override
        public void failed(Throwable failure) {
            getEndPoint().close(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
