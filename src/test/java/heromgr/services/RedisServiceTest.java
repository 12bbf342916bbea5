package heromgr.services;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.api.ErrorCode;
import heromgr.fs.FileDigest;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's real redis-server as the redis service: install (noted) → start → healthy → verify → SET/GET over its socket → stop → start → the key is still there. */
class RedisServiceTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void keepsItsDataAcrossARestartOnAUnixSocketOnly() throws Exception {
        var redis = new Redis();
        TestDaemon d = daemons.start(List.of(redis), Map.of());
        var steps = new ServiceSteps(daemons, d, "redis", BOUND);
        if (redis.account().isPresent()) {
            // the temp home is 0700: a root daemon runs redis as the redis account, which cannot pass through it
            JsonNode refused = d.call("service.start", Map.of("name", "redis")).get("error");
            assertThat(refused.get("code").asInt()).isEqualTo(ErrorCode.START_FAILED.code());
            assertThat(refused.get("message").asText()).contains("the redis account cannot reach").contains(d.home + " does not let it through");
        }
        Files.setPosixFilePermissions(d.home, PosixFilePermissions.fromString("rwx--x--x"));
        Path socket = d.paths.socketDir().resolve("redis/redis.sock");

        JsonNode unnoted = d.result("service.verify", Map.of("name", "redis"));
        assertThat(unnoted.get("ok").asBoolean()).isFalse();
        assertThat(unnoted.get("problems").toString()).contains("run `heromgr service install redis`");
        JsonNode install = d.result("service.install", Map.of("name", "redis"));
        assertThat(install.at("/installed/0/path").asText()).isEqualTo("/usr/bin/redis-server");
        assertThat(install.at("/installed/0/sha256").asText()).isEqualTo(FileDigest.sha256(Path.of("/usr/bin/redis-server")));

        long pid = steps.startHealthy();
        JsonNode verify = d.result("service.verify", Map.of("name", "redis"));
        assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
        assertThat(verify.at("/binaries/0/path").asText()).isEqualTo("/usr/bin/redis-server");
        assertThat(Files.readString(d.home.resolve("cfg/redis/redis.conf"))).contains("port 0").contains("unixsocket \"" + socket + "\"");
        steps.assertRunsAs(pid, redis.account());
        assertThat(cli(socket, "CONFIG", "GET", "port")).isEqualTo("port\n0");
        assertThat(cli(socket, "SET", "greeting", "hello from heromgr")).isEqualTo("OK");
        assertThat(cli(socket, "GET", "greeting")).isEqualTo("hello from heromgr");
        JsonNode health = d.result("service.health", Map.of("name", "redis"));
        assertThat(health.at("/checks/0/kind").asText()).isEqualTo("exec");
        assertThat(health.at("/checks/0/detail").asText()).isEqualTo("PONG");

        steps.stop(pid);
        long second = steps.startHealthy();
        assertThat(second).isNotEqualTo(pid);
        assertThat(cli(socket, "GET", "greeting")).isEqualTo("hello from heromgr");
        steps.stop(second);
    }


    private static String cli(Path socket, String... args) throws Exception {
        var argv = new ArrayList<>(List.of("/usr/bin/redis-cli", "-s", socket.toString()));
        argv.addAll(List.of(args));
        return ClientCommand.output(Optional.empty(), argv);
    }
}
