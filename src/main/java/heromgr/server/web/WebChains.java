package heromgr.server.web;

import org.eclipse.jetty.server.Handler;

import java.util.List;

/**
 * The Admin UI's two endpoints, as chains of small handlers in front of the same API handler: admin.sock (peer
 * credentials checked at accept, like service.sock) and the loopback listener (Host/Origin, then the token).
 */
public final class WebChains {
    private WebChains() {
    }

    /** admin.sock: the pages, and the API behind the CSRF check. */
    public static Handler adminSocket(AccessToken csrf, Handler api) {
        return new SecurityHeaders(pagesAndApi(csrf, api));
    }

    /** The loopback TCP listener: against rebinding first, then the token, then as admin.sock. */
    public static Handler loopback(List<TokenGate.Grant> grants, AccessToken csrf, Handler api) {
        return new SecurityHeaders(new LoopbackGate(new TokenGate(grants, pagesAndApi(csrf, api))));
    }

    private static Handler pagesAndApi(AccessToken csrf, Handler api) {
        return new CsrfGate(csrf, new Handler.Sequence(new UiFiles(csrf), api));
    }
}
