package heromgr.server.web;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Set;

/**
 * Every request that may change something (anything but GET and HEAD: the JSON-RPC calls) must carry the daemon's
 * CSRF token in the {@value #HEADER} header. The pages read it from their own HTML ({@link UiFiles}); another site can
 * neither read it nor, without a CORS answer the daemon never gives, send a custom header.
 */
public final class CsrfGate extends Handler.Wrapper {
    public static final String HEADER = "X-Heromgr-Csrf";
    private static final Set<String> READS = Set.of("GET", "HEAD");

    private final AccessToken csrf;

    public CsrfGate(AccessToken csrf, Handler next) {
        super(next);
        this.csrf = csrf;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!READS.contains(request.getMethod()) && !csrf.matches(request.getHeaders().get(HEADER))) {
            return Refusal.answer(response, callback, HttpStatus.FORBIDDEN_403,
                    request.getMethod() + " without the page's CSRF token (" + HEADER + ") refused");
        }
        return super.handle(request, response, callback);
    }
}
