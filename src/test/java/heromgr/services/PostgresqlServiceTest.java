package heromgr.services;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's real PostgreSQL as the postgresql service: initdb once → healthy → CREATE TABLE/INSERT/SELECT with psql over
 * the socket → fast shutdown by SIGINT → start (no second initdb) → the row is still there → stop.
 */
class PostgresqlServiceTest {
    private static final Duration BOUND = Duration.ofSeconds(120);

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void initialisesOnceAndKeepsItsRowsAcrossARestart() throws Exception {
        var postgresql = new Postgresql();
        TestDaemon d = daemons.start(List.of(postgresql), Map.of());
        var steps = new ServiceSteps(daemons, d, "postgresql", BOUND);
        // the temp home is 0700: a root daemon runs postgres as the postgres account, which must pass through it
        Files.setPosixFilePermissions(d.home, PosixFilePermissions.fromString("rwx--x--x"));
        Path data = d.home.resolve("var/postgresql");

        JsonNode install = d.result("service.install", Map.of("name", "postgresql"));
        assertThat(install.at("/installed/0/path").asText()).matches("/usr/lib/postgresql/\\d+/bin/postgres");

        long pid = steps.startHealthy();
        steps.assertRunsAs(pid, postgresql.account());
        Path initdbLog = d.paths.serviceLogs("postgresql").resolve("initdb.log");
        String initdbOutput = Files.readString(initdbLog);
        assertThat(Files.readString(data.resolve("PG_VERSION")).strip()).matches("\\d+");
        if (postgresql.account().isPresent()) {
            assertThat((Integer) Files.getAttribute(data, "unix:uid")).isEqualTo(postgresql.account().get().uid());
        }
        assertThat(sql(postgresql, d, "SHOW listen_addresses")).isEmpty();
        assertThat(sql(postgresql, d, "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept by heromgr'); SELECT body FROM notes"))
                .endsWith("kept by heromgr");
        JsonNode health = d.result("service.health", Map.of("name", "postgresql"));
        assertThat(health.at("/checks/0/detail").asText()).contains("accepting connections");

        steps.stop(pid);
        // postgres logs to stderr, which has its own file beside server.log
        assertThat(Files.readString(d.paths.serviceLogs("postgresql").resolve("server.err.log"))).contains("received fast shutdown request");
        long second = steps.startHealthy();
        assertThat(second).isNotEqualTo(pid);
        assertThat(Files.readString(initdbLog)).isEqualTo(initdbOutput);
        assertThat(sql(postgresql, d, "SELECT body FROM notes")).isEqualTo("kept by heromgr");
        steps.stop(second);
    }


    /** psql over the service's socket, as the account that owns the cluster (peer authentication). */
    private static String sql(Postgresql postgresql, TestDaemon d, String statements) throws Exception {
        return ClientCommand.output(postgresql.account(), List.of(postgresql.binDir().resolve("psql").toString(),
                "-h", d.paths.socketDir().resolve("postgresql").toString(), "-d", "postgres", "-X", "-q", "-A", "-t",
                "-v", "ON_ERROR_STOP=1", "-c", statements));
    }
}
