package heromgr.services;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.service.Ctx;
import heromgr.service.HeroService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * hero_books, replacing service_books.nu. The seed: a gnu (not musl) release, still carrying the old
 * {@code hero_books_ui} asset name; the rename collapsed its _ui and its dev _admin binary into one. Its quirk is
 * its env: HERO_BOOKS_DATA, its data folder under $HERO_HOME/var (made before it starts), and HERO_EMBEDDER_URL,
 * the socket of hero_embedder, which it therefore depends on. Shape: the common one, CLI + server + admin.
 */
public final class HeroBooks implements HeroService {
    private final HeroEmbedder embedder = new HeroEmbedder();

    @Override
    public String name() {
        return "hero_books";
    }

    @Override
    public String description() {
        return "Hero Books";
    }

    @Override
    public List<String> dependsOn() {
        return List.of(embedder.name());
    }

    @Override
    public String assetSuffix() {
        return "linux-amd64-gnu";
    }

    Path dataDir(Ctx ctx) {
        return ctx.paths().home().resolve("var").resolve(name());
    }

    @Override
    public Map<String, String> env(Ctx ctx) {
        Map<String, String> env = new HashMap<>(HeroService.super.env(ctx));
        env.put("HERO_BOOKS_DATA", dataDir(ctx).toString());
        env.put("HERO_EMBEDDER_URL", embedder.rpcSocket(ctx).toString());
        return Map.copyOf(env);
    }

    /** Its data folder, made (0700) before the first start. */
    @Override
    public void prepare(Ctx ctx) {
        Path data = dataDir(ctx);
        try {
            if (!Files.isDirectory(data)) {
                Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new ApiException(ErrorCode.START_FAILED, name() + ": cannot make its data folder " + data + ": " + e.getMessage());
        }
    }
}
