package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LiveKit credentials on a real daemon: made once at the first start (0600), given to the server and the client
 * as env, redacted in inspect, the same at the next start, and a damaged or world-readable file refused, unchanged.
 */
class LiveKitCredentialsTest {
    private static final Pattern KEY = Pattern.compile("(?m)^LIVEKIT_API_KEY=(\\S+)$");
    private static final Pattern SECRET = Pattern.compile("(?m)^LIVEKIT_API_SECRET=(\\S+)$");

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void madeOnceKeptOwnerOnlyGivenToServerAndClientAndReusedAtTheNextStart() throws IOException {
        TestDaemon d = daemons.start(List.of(new LiveKitPeer("lk_server", true, List.of()),
                new LiveKitPeer("lk_client", false, List.of("lk_server"))), Map.of());
        Path file = d.home.resolve("cfg/livekit/credentials");
        assertThat(file).doesNotExist();
        assertThat(d.result("service.inspect", Map.of("name", "lk_client")).at("/env").has("LIVEKIT_API_KEY")).isFalse();
        assertThat(file).as("an inspect makes nothing").doesNotExist();

        assertThat(d.result("service.start", Map.of("name", "lk_client")).get("dependencies_started").toString()).contains("lk_server");
        String text = Files.readString(file);
        String key = first(KEY, text);
        String secret = first(SECRET, text);
        assertThat(key).matches("API[A-Za-z0-9]{12}");
        assertThat(secret).hasSize(43);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        String clientLog = MainLog.awaitContaining(d, "lk_client", "LIVEKIT_API_SECRET=");
        assertThat(first(KEY, clientLog)).isEqualTo(key);
        assertThat(first(SECRET, clientLog)).isEqualTo(secret);
        assertThat(clientLog).contains("LIVEKIT_URL=ws://127.0.0.1:7880").doesNotContain("LIVEKIT_KEYS");
        assertThat(MainLog.awaitContaining(d, "lk_server", "LIVEKIT_KEYS=")).contains("LIVEKIT_KEYS=" + key + ": " + secret);

        for (String name : List.of("lk_client", "lk_server")) {
            JsonNode inspect = d.result("service.inspect", Map.of("name", name));
            assertThat(inspect.at("/env/LIVEKIT_API_SECRET").asText()).isEqualTo("***");
            assertThat(inspect.at("/env/LIVEKIT_API_KEY").asText()).isEqualTo("***");
            assertThat(inspect.toString()).doesNotContain(secret);
        }
        assertThat(d.result("service.inspect", Map.of("name", "lk_server")).at("/actions/0/env/LIVEKIT_KEYS").asText()).isEqualTo("***");

        d.result("service.stop", Map.of("name", "lk_client"));
        d.result("service.stop", Map.of("name", "lk_server"));
        Files.delete(d.home.resolve("var/log/lk_client/main.log"));
        d.result("service.start", Map.of("name", "lk_client"));
        assertThat(Files.readString(file)).isEqualTo(text);
        assertThat(first(SECRET, MainLog.awaitContaining(d, "lk_client", "LIVEKIT_API_SECRET="))).isEqualTo(secret);
        d.result("service.stop", Map.of("name", "lk_client"));
        d.result("service.stop", Map.of("name", "lk_server"));
    }

    @Test
    void aDamagedOrWorldReadableFileIsRefusedAndLeftAsItIs() throws IOException {
        TestDaemon d = daemons.start(List.of(new LiveKitPeer("lk_server", true, List.of())), Map.of());
        Path file = d.home.resolve("cfg/livekit/credentials");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "LIVEKIT_API_KEY=APIshort\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        JsonNode damaged = d.call("service.start", Map.of("name", "lk_server")).get("error");
        assertThat(damaged.get("code").asInt()).isEqualTo(-32004);
        assertThat(damaged.get("message").asText()).contains(file.toString(), "LIVEKIT_API_SECRET is missing", "remove it");
        assertThat(Files.readString(file)).isEqualTo("LIVEKIT_API_KEY=APIshort\n");

        Files.writeString(file, "LIVEKIT_API_KEY=APIabcdefghijkl\nLIVEKIT_API_SECRET=" + "s".repeat(43) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        JsonNode open = d.call("service.start", Map.of("name", "lk_server")).get("error");
        assertThat(open.get("code").asInt()).isEqualTo(-32004);
        assertThat(open.get("message").asText()).contains("others may read it", "rw-r--r--");
        assertThat(d.result("service.status", Map.of("name", "lk_server")).get("state").asText()).isEqualTo("STOPPED");
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(p.pattern()).isTrue();
        return m.group(1);
    }
}
