package heromgr.it;

import heromgr.http.UnixHttpClient;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who gets into the Admin UI, on the wire (raw HTTP, so nothing a client library adds or refuses hides a case): the
 * loopback listener wants the token, refuses a foreign Host (DNS rebinding), a cross-origin call and a call without the
 * page's CSRF token; admin.sock serves the same pages under the same CSRF rule; every answer carries the strict CSP.
 */
class AdminUiAccessTest {
    private static final String RPC = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.list\"}";
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(Services.all(), Map.of("HEROMGR_HTTP", "127.0.0.1:0"));
    static TestDaemon d;
    static URI url;
    static String token;

    @BeforeAll
    static void up() throws IOException {
        d = daemons.daemon();
        url = URI.create(d.daemon.httpUrl().orElseThrow());
        token = Files.readString(d.paths.state().resolve("http.token")).strip();
    }

    record Answer(int status, String head, String body) {
        String header(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ": ([^\r\n]*)").matcher(head);
            return m.find() ? m.group(1) : null;
        }
    }

    /** One request as written here, byte for byte. */
    static Answer get(String path, String host, String... headers) throws IOException {
        return raw("GET", path, host, null, headers);
    }

    static Answer post(String host, String... headers) throws IOException {
        return raw("POST", "/rpc", host, RPC, headers);
    }

    static Answer raw(String method, String path, String host, String body, String[] headers) throws IOException {
        try (var socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
            var req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
            for (String h : headers) req.append(h).append("\r\n");
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) req.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
            req.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String head = all.substring(0, split + 2);
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, all.substring(split + 4));
        }
    }

    static String host() {
        return "127.0.0.1:" + url.getPort();
    }

    static String csrf(Answer page) {
        Matcher m = Pattern.compile("name=\"heromgr-csrf\" content=\"([0-9a-f]+)\"").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    @Test
    void theTokenFileIsTheOwnersOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.paths.state().resolve("http.token")))).isEqualTo("rw-------");
        assertThat(token).matches("[0-9a-f]{64}");
    }

    @Test
    void aMissingOrWrongTokenIsRefused() throws IOException {
        assertThat(get("/", host()).status()).isEqualTo(401);
        assertThat(get("/?token=" + token.replace(token.charAt(0), token.charAt(0) == 'a' ? 'b' : 'a'), host()).status()).isEqualTo(401);
        assertThat(get("/health", host(), "Cookie: heromgr_token=nope").status()).isEqualTo(401);
        assertThat(post(host()).status()).isEqualTo(401);
    }

    @Test
    void theTokenInTheUrlBecomesAStrictCookieAndLeavesTheUrl() throws IOException {
        Answer first = get("/?token=" + token + "&x=1", host());
        assertThat(first.status()).isEqualTo(303);
        assertThat(first.header("Location")).endsWith("/?x=1");
        assertThat(first.header("Set-Cookie")).contains("heromgr_token=" + token).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        Answer page = get("/", host(), "Cookie: heromgr_token=" + token);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>").doesNotContain("<style").doesNotContain("onclick");
    }

    @Test
    void theTokenInTheUrlLeavesItHoweverItsNameIsEncoded() throws IOException {
        for (String name : List.of("%74oken", "tok%65n", "%74%6F%6B%65%6E")) {
            Answer first = get("/?x=1&" + name + "=" + token + "&y=2", host());
            assertThat(first.status()).as(name).isEqualTo(303);
            assertThat(first.header("Location")).as(name).endsWith("/?x=1&y=2").doesNotContain(token);
        }
        Answer stray = get("/?x=%zz&%zz=1&token=" + token, host());
        assertThat(stray.status()).isIn(303, 400);
        if (stray.status() == 303) assertThat(stray.header("Location")).doesNotContain(token);
    }

    @Test
    void aForeignHostIsRefusedEvenWithTheToken() throws IOException {
        Answer rebound = get("/", "evil.example:" + url.getPort(), "Cookie: heromgr_token=" + token);
        assertThat(rebound.status()).isEqualTo(421);
        assertThat(rebound.body()).contains("evil.example");
        assertThat(get("/", "127.0.0.1:1", "Authorization: Bearer " + token).status()).isEqualTo(421);
        assertThat(get("/", "localhost:" + url.getPort(), "Authorization: Bearer " + token).status()).isEqualTo(200);
    }

    @Test
    void aCrossOriginPostIsRefused() throws IOException {
        String cookie = "Cookie: heromgr_token=" + token;
        String csrf = csrf(get("/", host(), cookie));
        Answer foreign = post(host(), cookie, "X-Heromgr-Csrf: " + csrf, "Origin: http://evil.example");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body()).contains("cross-origin");
        Answer site = post(host(), cookie, "X-Heromgr-Csrf: " + csrf, "Sec-Fetch-Site: cross-site");
        assertThat(site.status()).isEqualTo(403);
        Answer same = post(host(), cookie, "X-Heromgr-Csrf: " + csrf, "Origin: http://" + host());
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.body()).contains("\"hero_echo\"");
    }

    @Test
    void aCallWithoutTheCsrfTokenIsRefused() throws IOException {
        Answer missing = post(host(), "Cookie: heromgr_token=" + token);
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("CSRF");
        assertThat(post(host(), "Cookie: heromgr_token=" + token, "X-Heromgr-Csrf: " + token).status()).isEqualTo(403);
    }

    @Test
    void adminSockServesThePagesUnderTheSameRules() throws IOException {
        Path admin = d.daemon.adminSocket();
        assertThat(admin).isEqualTo(d.socket().resolveSibling("admin.sock"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(admin))).isEqualTo("rw-rw----");
        try (var http = new UnixHttpClient(admin, Duration.ofSeconds(20))) {
            var page = http.get("/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
            assertThat(http.get("/ui/app.js").header("Content-Type")).startsWith("text/javascript");
            assertThat(http.get("/ui/../pom.xml").status()).isEqualTo(404);
            assertThat(http.post("/rpc", "application/json", RPC.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(403);
        }
        // service.sock is as it was: no pages, no CSRF token asked of the CLI
        assertThat(d.http("GET", "/", null).status()).isEqualTo(404);
        assertThat(d.result("service.list", Map.of())).isNotEmpty();
    }
}
