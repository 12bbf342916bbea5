package heromgr.cli;

import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import heromgr.services.Services;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `heromgr ui` prints the Admin UI's URL with its token (--viewer: the viewer token's), or asks the daemon to open its listener; `daemon --http` takes loopback only. */
class UiCommandTest {
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void printsTheUrlWithTheToken() throws IOException {
        TestDaemon d = daemons.start(Services.all(), Map.of("HEROMGR_HTTP", "127.0.0.1:0"));
        CliRun r = CliRun.of(Map.of("HEROMGR_SOCKET", d.socket().toString()), "ui");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String token = Files.readString(d.paths.state().resolve("http.token")).strip();
        assertThat(r.out().strip()).isEqualTo(d.daemon.httpUrl().orElseThrow() + "?token=" + token).startsWith("http://127.0.0.1:");
        CliRun json = CliRun.of(Map.of("HEROMGR_SOCKET", d.socket().toString()), "ui", "--json");
        assertThat(JsonCodec.MAPPER.readTree(json.out()).path("url").asText()).isEqualTo(r.out().strip());
    }

    @Test
    void viewerPrintsTheUrlWithTheViewerTokenWhichMayOnlyRead() throws Exception {
        TestDaemon d = daemons.start(Services.all(), Map.of("HEROMGR_HTTP", "127.0.0.1:0"));
        Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());
        CliRun r = CliRun.of(env, "ui", "--viewer");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String token = Files.readString(d.paths.state().resolve("http-viewer.token")).strip();
        String url = d.daemon.httpUrl().orElseThrow();
        assertThat(r.out().strip()).isEqualTo(url + "?token=" + token);
        CliRun json = CliRun.of(env, "ui", "--viewer", "--json");
        assertThat(JsonCodec.MAPPER.readTree(json.out()).path("url").asText()).isEqualTo(r.out().strip());
        // the printed token is the viewer's: the daemon takes its holder for one who may only read
        var access = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "access"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JsonCodec.MAPPER.readTree(access.body()).path("access").asText()).as(access.body()).isEqualTo("read");
    }

    @Test
    void withoutAListenerItAsksTheDaemonToOpenOneWhoseUrlLetsABrowserIn() throws Exception {
        TestDaemon d = daemons.start();
        assertThat(d.daemon.httpUrl()).isEmpty();
        Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());
        CliRun r = CliRun.of(env, "ui");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String token = Files.readString(d.paths.state().resolve("http.token")).strip();
        String url = d.daemon.httpUrl().orElseThrow();
        assertThat(r.out().strip()).isEqualTo(url + "?token=" + token).startsWith("http://127.0.0.1:");
        assertThat(JsonCodec.MAPPER.readTree(d.http("GET", "/health", null).body()).path("http").asText()).isEqualTo(url);

        // as a browser does: the token URL sets the cookie and sends it on to the page, which then loads with it
        var browser = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        var first = browser.send(HttpRequest.newBuilder(URI.create(r.out().strip())).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(303);
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(cookie).isEqualTo("heromgr_token=" + token);
        var page = browser.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("heromgr-csrf");

        // asked again, the daemon answers the listener it has: the same port, the same URL
        CliRun again = CliRun.of(env, "ui");
        assertThat(again.out()).as(again.err()).isEqualTo(r.out());
        CliRun viewer = CliRun.of(env, "ui", "--viewer");
        assertThat(viewer.out().strip()).as(viewer.err())
                .isEqualTo(url + "?token=" + Files.readString(d.paths.state().resolve("http-viewer.token")).strip());

        // opened at run time, it closes with the daemon all the same
        d.close();
        int port = URI.create(url).getPort();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void withoutADaemonItSaysSo() {
        CliRun r = CliRun.of(Map.of("HEROMGR_SOCKET", daemons.root().resolve("none.sock").toString()), "ui");
        assertThat(r.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(r.err()).contains("not reachable");
    }

    @Test
    void theDaemonRefusesToListenBeyondLoopback() {
        CliRun r = CliRun.of(Map.of(), "daemon", "--home", daemons.root().toString(), "--http", "0.0.0.0:8080");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--http 0.0.0.0:8080: not a loopback address");
        assertThat(daemons.root().resolve("var")).doesNotExist();
    }
}
