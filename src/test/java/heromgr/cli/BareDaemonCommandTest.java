package heromgr.cli;

import heromgr.cli.BareDaemonCommand.DaemonLine;
import heromgr.server.AccessGroups;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which `daemon` lines skip picocli, and that they read as picocli reads them; the rest is picocli's (DaemonControlTest). */
class BareDaemonCommandTest {
    @Test
    void readsThePlainDaemonLineAsPicocliWould() {
        assertThat(BareDaemonCommand.parse(new String[] {"daemon"}))
                .contains(new DaemonLine(null, null, false, null, AccessGroups.NONE));
        assertThat(BareDaemonCommand.parse(new String[] {"daemon", "--home", "/h", "--socket", "s.sock", "--stop-services-on-exit",
                "--operator-group", "ops", "--viewer-group", "view", "--http", "127.0.0.1:0"}))
                .contains(new DaemonLine(Path.of("/h"), Path.of("s.sock"), true, "127.0.0.1:0", new AccessGroups("ops", "view")));
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (List<String> args : List.<List<String>>of(List.of(), List.of("status", "x"), List.of("daemon", "start"), List.of("daemon", "stop"),
                List.of("daemon", "status"), List.of("daemon", "-h"), List.of("daemon", "--help"), List.of("daemon", "--home"),
                List.of("daemon", "--home=/h"), List.of("daemon", "--home", "/a", "--home", "/b"), List.of("daemon", "--home", "--socket"),
                List.of("daemon", "--stop-services-on-exit", "--stop-services-on-exit"), List.of("daemon", "@args"),
                List.of("daemon", "--home", "@h"), List.of("daemon", "--http", "10.0.0.1:80"), List.of("daemon", "--unknown"),
                List.of("daemon", "/h"), List.of("daemon", "--home", "/h", "--"))) {
            assertThat(BareDaemonCommand.parse(args.toArray(String[]::new))).as(args.toString()).isEmpty();
        }
    }
}
