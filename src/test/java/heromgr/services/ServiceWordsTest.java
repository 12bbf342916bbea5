package heromgr.services;

import heromgr.fs.HeroPaths;
import heromgr.proc.ActionSpec;
import heromgr.proc.HealthCheck;
import heromgr.proc.Signal;
import heromgr.service.Ctx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The words a service class says (checks, workDir, stopSignal, stopTimeout, role sockets) become the supervisor's
 * action as they said: the spec each of the four classes that once built it by hand hands to the supervisor.
 */
class ServiceWordsTest {
    @TempDir
    Path home;

    private Ctx ctx() {
        return new Ctx(new HeroPaths(home, home.resolve("s"), home.resolve("code")), null, null, null, null, Map.of(), home);
    }

    private static ActionSpec only(List<ActionSpec> actions) {
        assertThat(actions).hasSize(1);
        return actions.getFirst();
    }

    @Test
    void redisRunsInItsDataFolderIsAskedByRedisCliAndHasThirtySecondsToSave() {
        var redis = new Redis(home.resolve("system"));
        ActionSpec server = only(redis.actions(ctx()));
        Path socket = home.resolve("s/redis/redis.sock");
        assertThat(server.name()).isEqualTo("server");
        assertThat(server.argv()).containsExactly(home.resolve("system/usr/bin/redis-server").toString(), home.resolve("cfg/redis/redis.conf").toString());
        assertThat(server.workDir()).isEqualTo(home.resolve("var/redis"));
        assertThat(server.env()).isEmpty();
        assertThat(server.logFile()).isEqualTo(home.resolve("var/log/redis/server.log"));
        assertThat(server.stopSignal()).isEqualTo(Signal.TERM);
        assertThat(server.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(server.reclaim().unixSockets()).containsExactly(socket);
        assertThat(server.reclaim().tcpPorts()).isEmpty();
        assertThat(server.health()).containsExactly(new HealthCheck.Exec(
                List.of(home.resolve("system/usr/bin/redis-cli").toString(), "-s", socket.toString(), "ping"), Duration.ofSeconds(3)));
        assertThat(server.user()).isEqualTo(redis.account().map(SystemAccount::name).orElse(null));
        assertThat(redis.sockets(ctx())).containsExactly(socket);
    }

    @Test
    void postgresqlStopsBySigintWithAMinuteAndIsAskedByPgIsready() {
        var postgresql = new Postgresql(home.resolve("system"));
        ActionSpec server = only(postgresql.actions(ctx()));
        Path bin = home.resolve("system/usr/lib/postgresql/MAJOR/bin");
        assertThat(server.argv().subList(0, 3)).containsExactly(bin.resolve("postgres").toString(), "-D", home.resolve("var/postgresql").toString());
        assertThat(server.workDir()).isEqualTo(home.resolve("var/postgresql"));
        assertThat(server.stopSignal()).isEqualTo(Signal.INT);
        assertThat(server.stopTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(server.reclaim().unixSockets()).containsExactly(home.resolve("s/postgresql/.s.PGSQL.5432"));
        assertThat(server.health()).containsExactly(new HealthCheck.Exec(List.of(bin.resolve("pg_isready").toString(),
                "-h", home.resolve("s/postgresql").toString(), "-p", "5432", "-t", "3"), Duration.ofSeconds(5)));
    }

    @Test
    void theRouterReclaimsAndProbesItsDashboardBesideItsRpcSocket() {
        ActionSpec server = only(new HeroRouter().actions(ctx()));
        Path rpc = home.resolve("s/hero_router/rpc.sock");
        Path ui = home.resolve("s/hero_router/ui.sock");
        assertThat(server.reclaim().unixSockets()).containsExactly(rpc, ui);
        List<HealthCheck> sockets = List.of(HealthCheck.HttpUnix.of(rpc), HealthCheck.HttpUnix.of(ui));
        if (HeroRouter.myceliumAddress().isPresent()) {
            assertThat(server.health()).isEqualTo(sockets);
        } else {
            assertThat(server.health()).containsExactlyElementsOf(List.of(sockets.get(0), sockets.get(1), HealthCheck.Tcp.of(HeroRouter.FALLBACK_PORT)));
            assertThat(server.reclaim().tcpPorts()).containsExactly(HeroRouter.FALLBACK_PORT);
        }
    }

    @Test
    void theConventionStopsBySigtermWithTenSecondsInTheHeroHome() {
        for (ActionSpec a : new HeroBooks().actions(ctx())) {
            assertThat(a.stopSignal()).isEqualTo(Signal.TERM);
            assertThat(a.stopTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(a.workDir()).isEqualTo(home);
            assertThat(a.health()).containsExactly(HealthCheck.HttpUnix.of(home.resolve("s/hero_books").resolve(a.name().equals("server") ? "rpc.sock" : "admin.sock")));
        }
    }
}
