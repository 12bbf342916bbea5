package heromgr.server.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * Against DNS rebinding and cross-site requests on the loopback listener: the Host header must name the listener
 * itself (127.0.0.1:PORT or localhost:PORT, the port the connection came in on), and a request that carries an
 * Origin, or a browser's Sec-Fetch-Site, must come from that same origin. A page of another site that made its name
 * resolve to 127.0.0.1 still sends its own name as Host, and is refused here before the token is even looked at.
 */
public final class LoopbackGate extends Handler.Wrapper {
    private static final Set<String> SAME_ORIGIN = Set.of("same-origin", "none");

    public LoopbackGate(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || !allowedHosts(request).contains(host.toLowerCase())) {
            return Refusal.answer(response, callback, HttpStatus.MISDIRECTED_REQUEST_421,
                    "Host '" + host + "' is not this listener (expected one of " + allowedHosts(request) + ")");
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            return Refusal.answer(response, callback, HttpStatus.FORBIDDEN_403, "cross-origin request from " + origin + " refused");
        }
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !SAME_ORIGIN.contains(site)) {
            return Refusal.answer(response, callback, HttpStatus.FORBIDDEN_403, "request from another site (" + site + ") refused");
        }
        return super.handle(request, response, callback);
    }

    private static Set<String> allowedHosts(Request request) {
        var local = (InetSocketAddress) request.getConnectionMetaData().getLocalSocketAddress();
        int port = local.getPort();
        String ip = local.getAddress() instanceof Inet6Address ? "[::1]" : local.getAddress().getHostAddress();
        return Set.of(ip + ":" + port, "localhost:" + port);
    }
}
