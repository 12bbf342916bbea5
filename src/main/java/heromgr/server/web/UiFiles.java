package heromgr.server.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Admin UI's files, shipped in the jar under {@value #ROOT}: GET / is index.html (with this daemon's CSRF token
 * in a meta tag, since no inline script may carry it), GET /ui/NAME a file of that folder. Names are plain (no
 * folders, no dots but the extension's), so nothing outside the folder can be asked for. Any other request passes
 * to the next handler (the API).
 */
public final class UiFiles extends Handler.Abstract {
    static final String ROOT = "heromgr/ui/";
    static final String CSRF_PLACEHOLDER = "__CSRF_TOKEN__";
    private static final Pattern FILE = Pattern.compile("/ui/([a-z][a-z0-9-]*\\.(js|css|svg|html))");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "html", "text/html; charset=utf-8");

    private final String csrf;
    private final Map<String, Optional<byte[]>> loaded = new ConcurrentHashMap<>();

    public UiFiles(AccessToken csrf) {
        this.csrf = csrf.value();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) return false;
        if ("/".equals(path) || "/index.html".equals(path)) {
            byte[] page = file("index.html").orElseThrow(() -> new IllegalStateException("index.html is not in the jar"));
            String html = new String(page, StandardCharsets.UTF_8).replace(CSRF_PLACEHOLDER, csrf);
            return send(response, callback, TYPES.get("html"), html.getBytes(StandardCharsets.UTF_8));
        }
        Matcher m = FILE.matcher(path);
        if (!m.matches()) return false;
        Optional<byte[]> body = file(m.group(1));
        if (body.isEmpty()) return Refusal.answer(response, callback, HttpStatus.NOT_FOUND_404, "no such file: " + path);
        return send(response, callback, TYPES.get(m.group(2)), body.get());
    }

    private Optional<byte[]> file(String name) {
        return loaded.computeIfAbsent(name, n -> {
            try (InputStream in = UiFiles.class.getClassLoader().getResourceAsStream(ROOT + n)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static boolean send(Response response, Callback callback, String type, byte[] body) {
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        // the jar's files change only with the daemon: revalidate, never serve a stale page after an upgrade
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
