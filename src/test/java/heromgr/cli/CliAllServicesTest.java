package heromgr.cli;

import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `heromgr start|stop|restart|status all` against a real daemon: every service, in dependency order, start and stop as
 * one walk of the fleet (service.up / service.down) with its table, a failure named with exit 1; and several names,
 * as systemctl takes them: one walk from those.
 */
class CliAllServicesTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(), Map.of());
    static final TestDaemon d = daemons.daemon();
    static final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());

    @Test
    void allGoesInDependencyOrderUpAndInReverseDown() {
        // made in the order that is wrong for a start: the dependent first
        d.result("service.create", Map.of("name", "t_base", "argv", List.of("/bin/sleep", "300"), "start", false));
        d.result("service.create", Map.of("name", "t_user", "argv", List.of("/bin/sleep", "300"), "depends_on", List.of("t_base"),
                "start", false));
        d.result("service.create", Map.of("name", "t_top", "argv", List.of("/bin/sleep", "300"), "depends_on", List.of("t_user"),
                "start", false));
        try {
            CliRun start = CliRun.of(env, "start", "all");
            assertThat(start.exitCode()).as(start.err()).isZero();
            assertThat(start.out()).contains("t_base", "t_user", "t_top");
            assertThat(start.out().indexOf("t_base")).isLessThan(start.out().indexOf("t_user"));
            assertThat(start.out().indexOf("t_user")).isLessThan(start.out().indexOf("t_top"));
            assertThat(start.out()).containsPattern("t_top\\s+2\\s+started\\s+RUNNING\\s+yes").contains("up: 3 started in");

            CliRun status = CliRun.of(env, "status", "all");
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).containsPattern("t_base\\s+\\S+\\s+RUNNING").containsPattern("t_top\\s+\\S+\\s+RUNNING");

            CliRun restart = CliRun.of(env, "restart", "all");
            assertThat(restart.exitCode()).as(restart.err()).isZero();

            CliRun stop = CliRun.of(env, "stop", "all");
            assertThat(stop.exitCode()).as(stop.err()).isZero();
            assertThat(stop.out()).contains("t_base", "t_user", "t_top");
            assertThat(stop.out().indexOf("t_top")).isLessThan(stop.out().indexOf("t_user"));
            assertThat(stop.out().indexOf("t_user")).isLessThan(stop.out().indexOf("t_base"));
            assertThat(stop.out()).contains("down: 3 stopped in");
            assertThat(CliRun.of(env, "list").out()).doesNotContain("RUNNING");
        } finally {
            d.result("service.delete", Map.of("name", "t_base", "cascade", true));
        }
    }

    @Test
    void aFailedStartOfAllIsNamedWithExitOneAndAFlagTheWalkCannotTakeIsAUsageError() {
        // a health check that can never pass: without one, a command that exits at once is "ready once spawned" and
        // the walk may see it RUNNING before it exits (it did in one CI run)
        d.result("service.create", Map.of("name", "t_exits", "argv", List.of("/bin/sh", "-c", "exit 3"), "restart", "never", "start", false,
                "health", Map.of("unix_socket", d.socket().resolveSibling("nobody.sock").toString())));
        try {
            CliRun start = CliRun.of(env, "start", "all", "--timeout-ms", "20000");
            assertThat(start.exitCode()).as(start.out() + start.err()).isEqualTo(ExitCode.FAILED);
            assertThat(start.out()).contains("blocked by t_exits");

            CliRun noWait = CliRun.of(env, "start", "all", "--no-wait");
            assertThat(noWait.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(noWait.err().lines().findFirst().orElseThrow()).contains("`start all` walks the whole fleet and takes no --no-wait");
            CliRun several = CliRun.of(env, "start", "t_exits", "hero_echo", "--no-deps", "--version", "1.0");
            assertThat(several.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(several.err().lines().findFirst().orElseThrow())
                    .isEqualTo("heromgr: `start` of several services is one walk and takes no --no-deps, --version (only --timeout-ms)");
        } finally {
            d.result("service.delete", Map.of("name", "t_exits"));
        }
    }

    @Test
    void severalNamesAreOneWalkFromThoseLeavingTheRestAlone() {
        d.result("service.create", Map.of("name", "t_lib", "argv", List.of("/bin/sleep", "300"), "start", false));
        d.result("service.create", Map.of("name", "t_app", "argv", List.of("/bin/sleep", "300"), "depends_on", List.of("t_lib"),
                "start", false));
        d.result("service.create", Map.of("name", "t_tool", "argv", List.of("/bin/sleep", "300"), "start", false));
        d.result("service.create", Map.of("name", "t_aside", "argv", List.of("/bin/sleep", "300"), "start", false));
        try {
            CliRun start = CliRun.of(env, "start", "t_app", "t_tool");
            assertThat(start.exitCode()).as(start.err()).isZero();
            assertThat(start.out()).as("what t_app needs comes first").contains("t_lib", "t_app", "t_tool").contains("up: 3 started in");
            assertThat(start.out().indexOf("t_lib")).isLessThan(start.out().indexOf("t_app"));
            assertThat(state("t_aside")).isEqualTo("STOPPED");

            CliRun stop = CliRun.of(env, "stop", "t_lib", "t_tool");
            assertThat(stop.exitCode()).as(stop.err()).isZero();
            assertThat(stop.out()).as("what depends on t_lib goes first, as systemctl stops what requires a unit")
                    .contains("down: 3 stopped in");
            assertThat(stop.out().indexOf("t_app")).isLessThan(stop.out().indexOf("t_lib"));
            for (String name : List.of("t_lib", "t_app", "t_tool")) assertThat(state(name)).as(name).isEqualTo("STOPPED");

            CliRun mixed = CliRun.of(env, "start", "t_tool", "all");
            assertThat(mixed.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(mixed.err().lines().findFirst().orElseThrow()).contains("name services or all, not both");
            CliRun unknown = CliRun.of(env, "start", "t_tool", "t_nosuch");
            assertThat(unknown.exitCode()).as(unknown.out() + unknown.err()).isNotZero();
            assertThat(unknown.out() + unknown.err()).contains("t_nosuch");
            assertThat(state("t_tool")).as("nothing started when one name is unknown").isEqualTo("STOPPED");
        } finally {
            d.result("service.delete", Map.of("name", "t_lib", "cascade", true));
            d.result("service.delete", Map.of("name", "t_tool"));
            d.result("service.delete", Map.of("name", "t_aside"));
        }
    }

    private static String state(String name) {
        return d.result("service.status", Map.of("name", name)).path("state").asText();
    }
}
