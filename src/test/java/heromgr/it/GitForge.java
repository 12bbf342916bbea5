package heromgr.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A forge's git remote as far as git sees one: git's own smart-HTTP server (git http-backend) behind a JDK HttpServer
 * acting as its CGI gateway, on 127.0.0.1, serving the bare repositories under root as /<owner>/<repo>.git. Every
 * request must carry {@code Authorization: token <token>}; each request's header is kept, so a test can see what git sent.
 */
final class GitForge implements AutoCloseable {
    private final Path root;
    private final String token;
    private final HttpServer server;
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> paths = new CopyOnWriteArrayList<>();

    GitForge(Path root, String token) throws IOException {
        this.root = root;
        this.token = token;
        server = FakeForge.loopback(this::handle);
    }

    String url() {
        return FakeForge.url(server);
    }

    /** A bare repository owner/repo.git holding one commit of the files under source (target/ left out). */
    void publish(String ownerRepo, Path source) throws IOException, InterruptedException {
        Path work = root.resolve(".work-" + ownerRepo.replace('/', '-'));
        FailurePathsTest.copyCrate(source, work);
        git(work, "init", "--quiet", "--initial-branch=main");
        git(work, "add", "-A");
        git(work, "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "--quiet", "-m", "stand-in");
        git(root, "clone", "--quiet", "--bare", work.toString(), root.resolve(ownerRepo + ".git").toString());
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        var cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("git " + String.join(" ", args) + " failed: " + out);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            paths.add(ex.getRequestURI().getPath());
            if (!("token " + token).equals(auth)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"forge\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            cgi(ex);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request through git http-backend (RFC 3875: the request as variables and stdin, the answer as headers and body). */
    private void cgi(HttpExchange ex) throws IOException, InterruptedException {
        var pb = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = pb.environment();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REQUEST_METHOD", ex.getRequestMethod());
        env.put("PATH_INFO", ex.getRequestURI().getPath());
        env.put("QUERY_STRING", ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
        env.put("REMOTE_ADDR", "127.0.0.1");
        var headers = ex.getRequestHeaders();
        if (headers.getFirst("Content-Type") != null) env.put("CONTENT_TYPE", headers.getFirst("Content-Type"));
        if (headers.getFirst("Content-Encoding") != null) env.put("HTTP_CONTENT_ENCODING", headers.getFirst("Content-Encoding"));
        if (headers.getFirst("Git-Protocol") != null) env.put("GIT_PROTOCOL", headers.getFirst("Git-Protocol"));
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        env.put("CONTENT_LENGTH", Integer.toString(body.length));
        Process p = pb.start();
        try {
            try (var stdin = p.getOutputStream()) {
                stdin.write(body);
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IOException("git http-backend did not finish");
            answer(ex, out);
        } finally {
            p.destroyForcibly();
        }
    }

    private static void answer(HttpExchange ex, byte[] out) throws IOException {
        int end = indexOf(out, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int skip = 4;
        if (end < 0) {
            end = indexOf(out, "\n\n".getBytes(StandardCharsets.US_ASCII));
            skip = 2;
        }
        int status = 200;
        for (String line : new String(out, 0, Math.max(end, 0), StandardCharsets.ISO_8859_1).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) status = Integer.parseInt(value.split(" ")[0]);
            else ex.getResponseHeaders().add(name, value);
        }
        var rest = new ByteArrayOutputStream();
        if (end >= 0) rest.write(out, end + skip, out.length - end - skip);
        ex.sendResponseHeaders(status, rest.size() == 0 ? -1 : rest.size());
        if (rest.size() > 0) ex.getResponseBody().write(rest.toByteArray());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
