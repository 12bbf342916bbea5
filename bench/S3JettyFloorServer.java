import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Jetty alone costs a call (issue 15, bench/s3_floor.py): the daemon's server set-up (a unix connector with
 * its HTTP configuration, platform threads that only select) and one non-blocking handler that reads the body and
 * answers the canned JSON on the selector thread, as the daemon's quick read path does; no JSON-RPC, no manager.
 *
 *     java -cp 'target/lib/*' [flags] bench/S3JettyFloorServer.java SOCKET ANSWER_FILE
 *
 * ANSWER_FILE is a whole HTTP answer (s3_floor.py's); its body is what this server sends, with Jetty's own head.
 */
public final class S3JettyFloorServer {
    public static void main(String[] args) throws Exception {
        byte[] answer = Files.readAllBytes(Path.of(args[1]));
        byte[] body = java.util.Arrays.copyOfRange(answer, indexOfBody(answer), answer.length);
        var threads = new QueuedThreadPool();
        threads.setMinThreads(2);
        threads.setReservedThreads(0);
        var server = new Server(threads);
        var http = new HttpConfiguration();
        http.setSendServerVersion(false);
        var connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
        Files.deleteIfExists(Path.of(args[0])); // a killed run's socket: Jetty refuses to bind over it
        connector.setUnixDomainPath(Path.of(args[0]));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.consumeAll(request, Callback.from(() -> {
                    response.getHeaders().add(HttpHeader.CONTENT_TYPE, "application/json");
                    response.getHeaders().add(HttpHeader.CONTENT_LENGTH, body.length);
                    response.write(true, ByteBuffer.wrap(body), callback);
                }, callback::failed));
                return true;
            }
        });
        server.start();
        server.join();
    }

    private static int indexOfBody(byte[] answer) {
        for (int i = 0; i + 3 < answer.length; i++) {
            if (answer[i] == '\r' && answer[i + 1] == '\n' && answer[i + 2] == '\r' && answer[i + 3] == '\n') return i + 4;
        }
        throw new IllegalArgumentException("no blank line in the answer file");
    }
}
