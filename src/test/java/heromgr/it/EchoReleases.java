package heromgr.it;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;

/** A forge publishing hero_echo twice: v1.0.0 (the release build) and v2.0.0 (the dev build), one asset each. */
record EchoReleases(FakeForge forge, byte[] v1, byte[] v2) {
    static final String ASSET = "hero_echo_server-linux-amd64-musl";
    static final Instant V1_TIME = Instant.parse("2026-10-01T12:00:00Z");
    static final Instant V2_TIME = Instant.parse("2026-11-01T12:00:00Z");

    static EchoReleases open() throws IOException {
        var releases = new EchoReleases(new FakeForge("hero/hero_echo"), Files.readAllBytes(EchoBinaries.release()),
                Files.readAllBytes(EchoBinaries.dev()));
        releases.forge.release("v1.0.0", V1_TIME, Map.of(ASSET, releases.v1));
        releases.forge.release("v2.0.0", V2_TIME, Map.of(ASSET, releases.v2));
        return releases;
    }

    /** The daemon's environment for this forge, with a short timeout so a failing download fails fast. */
    Map<String, String> env() {
        return Map.of("FORGEJO_URL", forge.url(), "HEROMGR_FORGE_TIMEOUT_MS", "3000");
    }
}
