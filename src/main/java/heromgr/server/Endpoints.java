package heromgr.server;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.rpc.LoopbackListener;
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
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The daemon's three endpoints on one Jetty server, each with its own chain in front of the one API handler:
 * service.sock (the API as it always was), admin.sock beside it (the Admin UI; same peer check, 0660) and, when
 * asked ({@link LoopbackAddress#VARIABLE}, `daemon --http`, or later rpc.http), a loopback TCP listener behind a
 * token. The listener's chain has its place in the handler from the start (an empty slot until asked), so opening
 * it at run time only fills the slot and starts one connector.
 */
final class Endpoints implements LoopbackListener {
    static final String SERVICE = "service";
    static final String ADMIN = "admin";
    static final String HTTP = "http";
    static final String ADMIN_SOCKET = "admin.sock";
    /** Under the state folder, 0600: the loopback listener's token. */
    static final String TOKEN_FILE = "http.token";
    /** Beside it, 0600: the token of those who may only read (handed out as the viewer group is). */
    static final String VIEWER_TOKEN_FILE = "http-viewer.token";

    private final Server server;
    private final PeerCheckingConnector service;
    private final Path adminSocket;
    private final Path state;
    private final int maxConnections;
    private final AccessToken csrf;
    private final Handler api;
    private final DaemonFacts facts;
    /** Dynamic: a started server takes its chain when the listener opens. */
    private final Handler.Wrapper httpChain = new Handler.Wrapper(true);
    private volatile ServerConnector http;

    private Endpoints(Server server, PeerCheckingConnector service, Path adminSocket, Path state, int maxConnections,
                      Handler api, DaemonFacts facts) {
        this.server = server;
        this.service = service;
        this.adminSocket = adminSocket;
        this.state = state;
        this.maxConnections = maxConnections;
        this.csrf = AccessToken.random();
        this.api = api;
        this.facts = facts;
    }

    static Path adminSocket(Path serviceSocket) {
        return serviceSocket.resolveSibling(ADMIN_SOCKET);
    }

    /**
     * Adds admin.sock and the loopback listener (if env asks for one) beside the service connector already added,
     * and sets the server's handler; the server is not started yet.
     */
    static Endpoints wire(Server server, PeerCheckingConnector service, PeerCheckingConnector admin, Path state,
                          Map<String, String> env, int maxConnections, ApiHandler api, DaemonFacts facts, Executor handlers)
            throws IOException {
        service.setName(SERVICE);
        admin.setName(ADMIN);
        server.addConnector(admin);
        var endpoints = new Endpoints(server, service, admin.getUnixDomainPath(), state, maxConnections, api, facts);
        var chains = new Handler.Sequence(new OnConnector(SERVICE, api),
                new OnConnector(ADMIN, WebChains.adminSocket(endpoints.csrf, api)), new OnConnector(HTTP, endpoints.httpChain));
        server.setHandler(new QuickReadPath(chains, SERVICE, api, handlers));
        String asked = env.get(LoopbackAddress.VARIABLE);
        if (asked != null && !asked.isBlank()) endpoints.addListener(LoopbackAddress.parse(asked));
        return endpoints;
    }

    /** The listener's connector and chain, added to the server (a started one starts them after). */
    private ServerConnector addListener(LoopbackAddress address) throws IOException {
        var token = AccessToken.loadOrCreate(state.resolve(TOKEN_FILE));
        var viewerToken = AccessToken.loadOrCreate(state.resolve(VIEWER_TOKEN_FILE));
        httpChain.setHandler(QuickReadPath.handedOff(WebChains.loopback(List.of(new TokenGate.Grant(token, Principal.OPERATOR),
                new TokenGate.Grant(viewerToken, Principal.VIEWER)), csrf, api)));
        var config = new HttpConfiguration();
        config.setSendServerVersion(false);
        var connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setName(HTTP);
        connector.setHost(address.address().getHostAddress());
        connector.setPort(address.port());
        connector.setIdleTimeout(service.getIdleTimeout());
        // the same bound as the sockets': past it Jetty stops accepting until one closes
        connector.addBean(new ConnectionLimit(maxConnections, connector));
        for (var listener : service.getBeans(RequestDeadline.class)) connector.addBean(listener);
        server.addConnector(connector);
        http = connector;
        return connector;
    }

    /** Once the server runs: GET /health names the listener (if any) and the log says where it is. */
    void announce() {
        Path tokenFile = state.resolve(TOKEN_FILE);
        facts.listeningOn(httpUrl(), tokenFile, state.resolve(VIEWER_TOKEN_FILE));
        if (httpUrl() != null) LoggerFactory.getLogger(Daemon.class).info("Admin UI on {} (token in {})", httpUrl(), tokenFile);
    }

    @Override
    public synchronized Listening open(String address) {
        LoopbackAddress asked;
        try {
            asked = LoopbackAddress.parse(address, "address");
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMS, e.getMessage());
        }
        ServerConnector open = http;
        if (open != null) {
            boolean same = asked.address().getHostAddress().equals(open.getHost()) && asked.port() == open.getLocalPort();
            if (asked.port() == 0 || same) return listening(false);
            throw new ApiException(ErrorCode.INVALID_PARAMS, "address " + asked + ": the Admin UI listens on " + httpUrl()
                    + " already; ask for that one (or port 0), or restart the daemon with --http " + asked);
        }
        try {
            ServerConnector connector = addListener(asked);
            try {
                httpChain.getHandler().start();
                connector.start();
            } catch (Exception e) {
                http = null;
                server.removeConnector(connector);
                httpChain.setHandler((Handler) null);
                throw new ApiException(ErrorCode.INVALID_PARAMS, "address " + asked + ": cannot listen there: " + e.getMessage());
            }
        } catch (IOException e) {
            throw new ApiException(ErrorCode.STORAGE_FAILED, "cannot write the Admin UI's token files under " + state + ": " + e.getMessage());
        }
        announce();
        return listening(true);
    }

    private Listening listening(boolean opened) {
        return new Listening(httpUrl(), state.resolve(TOKEN_FILE).toString(), state.resolve(VIEWER_TOKEN_FILE).toString(), opened);
    }

    Path adminSocket() {
        return adminSocket;
    }

    /** The loopback listener's URL (its real port, once started), or null when there is none. */
    String httpUrl() {
        ServerConnector open = http;
        if (open == null || open.getLocalPort() <= 0) return null;
        // ::1 is the one IPv6 loopback address; browsers send it so in Host, never as 0:0:0:0:0:0:0:1
        String host = open.getHost().contains(":") ? "[::1]" : open.getHost();
        return "http://" + host + ":" + open.getLocalPort() + "/";
    }
}
