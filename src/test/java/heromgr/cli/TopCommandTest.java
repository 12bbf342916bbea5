package heromgr.cli;

import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** `heromgr list` and `heromgr top` against a real daemon: the usage columns, and top's rounds, busiest first. */
class TopCommandTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(), Map.of());
    static final TestDaemon d = daemons.daemon();
    static final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());

    @BeforeAll
    static void aBusyAndAnIdleService() {
        d.result("service.create", Map.of("name", "t_busy", "argv", List.of("/bin/sh", "-c", "while :; do :; done")));
        d.result("service.create", Map.of("name", "t_idle", "argv", List.of("/bin/sleep", "300")));
    }

    @AfterAll
    static void deleteThem() {
        for (String name : List.of("t_busy", "t_idle")) d.result("service.delete", Map.of("name", name));
    }

    @Test
    void listShowsPidUptimeRestartsCpuAndMemory() {
        CliRun list = CliRun.of(env, "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().findFirst().orElseThrow()).containsSubsequence("NAME", "STATE", "HEALTHY", "PID", "UPTIME",
                "RESTARTS", "CPU", "MEM", "VERSION");
        assertThat(list.out()).containsPattern("t_idle\\s+transient\\s+RUNNING\\s+\\S+\\s+\\d+\\s+\\d+s\\s+0\\s+\\d+\\.\\d%\\s+\\d");
    }

    @Test
    void topRedrawsEachRoundBusiestFirst() {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            CliRun top = CliRun.of(env, "top", "-n", "2", "--interval", "0.5");
            assertThat(top.exitCode()).as(top.err()).isZero();
            // in a pipe: one plain table per round, no screen control
            assertThat(top.out().lines().filter(l -> l.startsWith("heromgr top")).count()).isEqualTo(2);
            assertThat(top.out()).doesNotContain("\033[");
            String last = top.out().substring(top.out().lastIndexOf("heromgr top"));
            return last.indexOf("t_busy") < last.indexOf("t_idle");
        });
    }

    @Test
    void aTooShortIntervalIsAUsageError() {
        CliRun top = CliRun.of(env, "top", "--interval", "0.1");
        assertThat(top.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(top.err()).contains("--interval must be at least 0.5 seconds");
    }
}
