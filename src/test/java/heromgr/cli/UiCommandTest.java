package heromgr.cli;

import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import heromgr.services.Services;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `heromgr ui` prints the Admin UI's URL with its token, or says how to get a listener; `daemon --http` takes loopback only. */
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
    }

    @Test
    void withoutAListenerItSaysHowToGetOne() throws IOException {
        TestDaemon d = daemons.start();
        CliRun r = CliRun.of(Map.of("HEROMGR_SOCKET", d.socket().toString()), "ui");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains(d.daemon.adminSocket().toString()).contains("heromgr daemon --http 127.0.0.1:0");
        assertThat(r.out()).isEmpty();
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
