package heromgr.it;

import heromgr.fs.FileDigest;
import heromgr.service.HeroService;
import heromgr.services.Services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stand-in for every Hero binary (src/test/rust/hero_standin: it acts as whatever binary its file name says,
 * by the conventions and the seed), built once with cargo into target/hero_standin, and published on a test forge
 * as a release of each repository of the fleet under every binary name the classes declare, with a SHA256SUMS.
 */
final class HeroStandin {
    static final String TAG = "v0.1.0";
    static final Instant PUBLISHED = Instant.parse("2026-11-20T10:00:00Z");
    /**
     * The repositories whose published releases still carry {@code <svc>_ui} where the convention says
     * {@code <svc>_admin}: the seed's list of releases to catch up. Published under the old names only once the
     * install falls back to them (helper fleetops' part); until then the fleet test publishes canonical names.
     */
    static final Set<String> OLD_UI_NAMES = Set.of("hero_db", "hero_books", "hero_browser", "hero_indexer", "hero_logic",
            "hero_matrixchat", "hero_proxy", "hero_slides", "hero_whiteboard", "hero_office", "hero_osis", "hero_planner",
            "hero_voice", "hero_compute", "hero_embedder", "hero_editor", "hero_foundry", "hero_runner_rhai", "mycelium",
            "hero_aibroker");
    private static Path built;

    private HeroStandin() {
    }

    static synchronized Path binary() {
        try {
            Path target = Path.of("target/hero_standin").toAbsolutePath();
            Path out = target.resolve("release/hero_standin");
            if (built == null) {
                EchoBinaries.cargoBuild(Path.of("src/test/rust/hero_standin"), "release", target);
                built = out;
            }
            return built;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A forge publishing the whole fleet (Services.fleet()); oldUiNames: see {@link #OLD_UI_NAMES}. */
    static FakeForge fleetForge(boolean oldUiNames) throws IOException {
        FakeForge forge = new FakeForge();
        publish(forge, Services.fleet(), oldUiNames);
        return forge;
    }

    /** Publishes one release per repository of these services, every declared binary as the stand-in. */
    static void publish(FakeForge forge, List<HeroService> services, boolean oldUiNames) {
        byte[] standin;
        String sha;
        try {
            standin = Files.readAllBytes(binary());
            sha = FileDigest.sha256(binary());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Set<String>> assetsByRepo = new LinkedHashMap<>();
        for (HeroService s : services) {
            Set<String> assets = assetsByRepo.computeIfAbsent(s.repo(), r -> new LinkedHashSet<>());
            for (String binary : s.binaries()) {
                String published = oldUiNames && OLD_UI_NAMES.contains(s.name()) && binary.endsWith("_admin")
                        ? binary.substring(0, binary.length() - "_admin".length()) + "_ui" : binary;
                assets.add(published + "-" + s.assetSuffix());
            }
        }
        assetsByRepo.forEach((repo, names) -> {
            Map<String, byte[]> assets = new LinkedHashMap<>();
            StringBuilder sums = new StringBuilder();
            for (String name : names) {
                assets.put(name, standin);
                sums.append(sha).append("  ").append(name).append('\n');
            }
            assets.put("SHA256SUMS", sums.toString().getBytes(StandardCharsets.UTF_8));
            forge.release(repo, TAG, PUBLISHED, assets);
        });
    }
}
