package heromgr.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A release as the Forgejo API describes it (the fields heromgr uses). */
public record ForgeRelease(long id, String tagName, String name, boolean draft, boolean prerelease, Instant publishedAt,
                           List<Asset> assets) {

    public ForgeRelease {
        assets = assets == null ? List.of() : List.copyOf(assets);
    }

    public record Asset(long id, String name, long size, String browserDownloadUrl) {
    }

    public Optional<Asset> asset(String assetName) {
        return assets.stream().filter(a -> a.name().equals(assetName)).findFirst();
    }
}
