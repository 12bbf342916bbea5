package heromgr.server;

import heromgr.server.web.AccessToken;
import heromgr.server.web.LoopbackAddress;
import heromgr.server.web.OnConnector;
import heromgr.server.web.Principal;
import heromgr.server.web.TokenGate;
import heromgr.server.web.WebChains;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The daemon's three endpoints on one Jetty server, each with its own chain in front of the one API handler:
 * service.sock (the API as it always was), admin.sock beside it (the Admin UI; same peer check, 0660) and, when
 * asked ({@link LoopbackAddress#VARIABLE}, `daemon --http`), a loopback TCP listener behind a token.
 */
final class Endpoints {
    static final String SERVICE = "service";
    static final String ADMIN = "admin";
    static final String HTTP = "http";
    static final String ADMIN_SOCKET = "admin.sock";
    /** Under the state folder, 0600: the loopback listener's token. */
    static final String TOKEN_FILE = "http.token";
    /** Beside it, 0600: the token of those who may only read (handed out as the viewer group is). */
    static final String VIEWER_TOKEN_FILE = "http-viewer.token";

    private final Path adminSocket;
    private final ServerConnector http;

    private Endpoints(Path adminSocket, ServerConnector http) {
        this.adminSocket = adminSocket;
        this.http = http;
    }

    static Path adminSocket(Path serviceSocket) {
        return serviceSocket.resolveSibling(ADMIN_SOCKET);
    }

    /**
     * Adds admin.sock and the loopback listener (if env asks for one) beside the service connector already added,
     * and sets the server's handler.
     */
    static Endpoints wire(Server server, PeerCheckingConnector service, PeerCheckingConnector admin, Path state,
                          Map<String, String> env, int maxConnections, Handler api) throws IOException {
        service.setName(SERVICE);
        admin.setName(ADMIN);
        server.addConnector(admin);
        AccessToken csrf = AccessToken.random();
        var chains = new Handler.Sequence(new OnConnector(SERVICE, api), new OnConnector(ADMIN, WebChains.adminSocket(csrf, api)));
        ServerConnector http = null;
        String asked = env.get(LoopbackAddress.VARIABLE);
        if (asked != null && !asked.isBlank()) {
            LoopbackAddress address = LoopbackAddress.parse(asked);
            var token = AccessToken.loadOrCreate(state.resolve(TOKEN_FILE));
            var viewerToken = AccessToken.loadOrCreate(state.resolve(VIEWER_TOKEN_FILE));
            var config = new HttpConfiguration();
            config.setSendServerVersion(false);
            http = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
            http.setName(HTTP);
            http.setHost(address.address().getHostAddress());
            http.setPort(address.port());
            http.setIdleTimeout(service.getIdleTimeout());
            // the same bound as the sockets': past it Jetty stops accepting until one closes
            http.addBean(new ConnectionLimit(maxConnections, http));
            for (var listener : service.getBeans(RequestDeadline.class)) http.addBean(listener);
            server.addConnector(http);
            chains.addHandler(new OnConnector(HTTP,
                    WebChains.loopback(List.of(new TokenGate.Grant(token, Principal.OPERATOR),
                            new TokenGate.Grant(viewerToken, Principal.VIEWER)), csrf, api)));
        }
        server.setHandler(chains);
        return new Endpoints(admin.getUnixDomainPath(), http);
    }

    Path adminSocket() {
        return adminSocket;
    }

    /** The loopback listener's URL (its real port, once started), or null when there is none. */
    String httpUrl() {
        if (http == null || http.getLocalPort() <= 0) return null;
        // ::1 is the one IPv6 loopback address; browsers send it so in Host, never as 0:0:0:0:0:0:0:1
        String host = http.getHost().contains(":") ? "[::1]" : http.getHost();
        return "http://" + host + ":" + http.getLocalPort() + "/";
    }
}
