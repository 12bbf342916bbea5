package heromgr.server.web;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.UrlEncoded;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The loopback listener's door: a request passes with a token the daemon granted, and is then that grant's
 * {@link Principal}. The token comes in the cookie, an {@code Authorization: Bearer} header (curl, scrapers), or once,
 * on a GET, as {@code ?token=}: that visit gets the cookie (HttpOnly, SameSite=Strict) and is redirected to the same
 * URL without the token, so it leaves the address bar and the history.
 */
public final class TokenGate extends Handler.Wrapper {
    static final String COOKIE = "heromgr_token";
    static final String QUERY = "token";
    private static final String BEARER = "Bearer ";

    /** A token and who holds it. */
    public record Grant(AccessToken token, Principal principal) {
    }

    private final List<Grant> grants;

    public TokenGate(List<Grant> grants, Handler next) {
        super(next);
        this.grants = List.copyOf(grants);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String inQuery = Request.extractQueryParameters(request).getValue(QUERY);
        if (inQuery != null && "GET".equals(request.getMethod())) {
            Grant grant = grantOf(inQuery);
            if (grant == null) return refuse(response, callback, "the token in the URL is wrong");
            Response.addCookie(response, HttpCookie.build(COOKIE, inQuery).path("/").httpOnly(true)
                    .sameSite(HttpCookie.SameSite.STRICT).build());
            Response.sendRedirect(request, response, callback, HttpStatus.SEE_OTHER_303, withoutToken(request), true);
            return true;
        }
        Grant grant = grantOf(offered(request));
        if (grant == null) return refuse(response, callback, "a token is needed: open the URL `heromgr ui` prints");
        Principal.set(request, grant.principal());
        return super.handle(request, response, callback);
    }

    private Grant grantOf(String token) {
        if (token == null) return null;
        for (Grant g : grants) {
            if (g.token().matches(token)) return g;
        }
        return null;
    }

    private static String offered(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null && auth.startsWith(BEARER)) return auth.substring(BEARER.length()).strip();
        for (HttpCookie c : Request.getCookies(request)) {
            if (COOKIE.equals(c.getName())) return c.getValue();
        }
        return null;
    }

    private static String withoutToken(Request request) {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        // each name decoded as the gate read it: "%74oken=" is the token too, and kept it in the URL (and redirected to itself)
        String rest = query == null ? "" : Arrays.stream(query.split("&"))
                .filter(p -> !QUERY.equals(name(p)))
                .collect(Collectors.joining("&"));
        return rest.isEmpty() ? path : path + "?" + rest;
    }

    /** A query pair's name, decoded; as it stands when it does not decode (a stray %), as it then is no token. */
    private static String name(String pair) {
        String raw = pair.split("=", 2)[0];
        try {
            return UrlEncoded.decodeString(raw);
        } catch (IllegalArgumentException undecodable) {
            return raw;
        }
    }

    private static boolean refuse(Response response, Callback callback, String why) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"heromgr\"");
        return Refusal.answer(response, callback, HttpStatus.UNAUTHORIZED_401, why);
    }
}
