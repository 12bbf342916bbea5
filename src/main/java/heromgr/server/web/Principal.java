package heromgr.server.web;

import org.eclipse.jetty.server.Request;

/**
 * Who a request on the HTTP listener is, as its token says (the listener has no peer credentials): the name the
 * operation log and the role checks see, as a Unix-socket request's peer user. Set by {@link TokenGate}.
 */
public record Principal(String name) {
    private static final String ATTRIBUTE = "heromgr.principal";
    /** The daemon's own token: whoever holds it may do what the daemon's user may. */
    public static final Principal OPERATOR = new Principal("http-operator");

    static void set(Request request, Principal principal) {
        request.setAttribute(ATTRIBUTE, principal);
    }

    /** The principal a gate established for this request, or null (a request on a Unix socket). */
    public static Principal of(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof Principal p ? p : null;
    }
}
