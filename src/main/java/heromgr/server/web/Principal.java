package heromgr.server.web;

import heromgr.rpc.Access;
import org.eclipse.jetty.server.Request;

/**
 * Who a request on the HTTP listener is, as its token says (the listener has no peer credentials): the name the
 * operation log and the role checks see, and what it may do, as a Unix-socket request's peer user and its groups.
 * Set by {@link TokenGate}.
 */
public record Principal(String name, Access access) {
    private static final String ATTRIBUTE = "heromgr.principal";
    /** The daemon's own token: whoever holds it may do what the daemon's user may. */
    public static final Principal OPERATOR = new Principal("http-operator", Access.OPERATE);
    /** The viewer token: whoever holds it may only read, like a member of the viewer group. */
    public static final Principal VIEWER = new Principal("http-viewer", Access.READ);

    static void set(Request request, Principal principal) {
        request.setAttribute(ATTRIBUTE, principal);
    }

    /** The principal a gate established for this request, or null (a request on a Unix socket). */
    public static Principal of(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof Principal p ? p : null;
    }
}
