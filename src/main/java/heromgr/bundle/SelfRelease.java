package heromgr.bundle;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.FileDigest;
import heromgr.service.ForgeClient;
import heromgr.service.ForgeRelease;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * heromgr's own releases, on the forge like a Hero service's: repository lhumina_code/heromgr, a release per tag
 * (v0.2.0 is version 0.2.0), asset heromgr-<version>-linux-amd64.tar.gz with its sha256 in
 * {@code <asset>.sha256} or SHA256SUMS. The checksum is required: a bundle is a whole runtime, not run unverified.
 */
public final class SelfRelease {
    public static final String REPO = "lhumina_code/heromgr";

    /** A release found on the forge: its tag, the version it installs as, and the bundle's asset. */
    public record Found(String tag, String version, ForgeRelease release) {
        public String assetName() {
            return "heromgr-" + version + "-linux-amd64.tar.gz";
        }
    }

    private final ForgeClient forge;

    public SelfRelease(ForgeClient forge) {
        this.forge = forge;
    }

    /** From the environment, as the daemon's downloads: FORGEJO_URL, FORGEJO_TOKEN, HEROMGR_FORGE_TIMEOUT_MS. */
    public static SelfRelease fromEnvironment(Map<String, String> env) {
        return new SelfRelease(ForgeClient.fromEnvironment(env));
    }

    public String forge() {
        return forge.base().toString();
    }

    /** The release of tag, or the latest when tag is null. */
    public Found find(String tag) {
        ForgeRelease release = forge.release(REPO, tag);
        String version = release.tagName().startsWith("v") ? release.tagName().substring(1) : release.tagName();
        if (!Bundle.validVersion(version)) {
            throw new ApiException(ErrorCode.DOWNLOAD_FAILED, "release " + release.tagName() + " of " + REPO
                    + ": its tag does not name a version heromgr can install as");
        }
        return new Found(release.tagName(), version, release);
    }

    /**
     * Downloads found's bundle into the installation's scratch space, checks its sha256 against the release's, and
     * unpacks it there: the bundle returned is ready to be placed (renamed) beside the other versions.
     */
    public Bundle fetch(Found found, Installation installation) throws IOException {
        String name = found.assetName();
        ForgeRelease.Asset asset = found.release().asset(name).orElseThrow(() -> new ApiException(ErrorCode.DOWNLOAD_FAILED,
                "release " + found.tag() + " of " + REPO + " has no asset " + name + " (it has: "
                        + found.release().assets().stream().map(ForgeRelease.Asset::name).toList() + ")"));
        String want = forge.checksums(found.release()).get(name);
        if (want == null) {
            throw new ApiException(ErrorCode.VERIFICATION_FAILED, "release " + found.tag() + " of " + REPO
                    + " has no checksum for " + name + " (" + name + ".sha256 or SHA256SUMS): not installed unverified");
        }
        Path scratch = installation.scratch("upgrade");
        try {
            Path archive = scratch.resolve(name);
            forge.download(asset, archive);
            String got = FileDigest.sha256(archive);
            if (!got.equals(want)) {
                throw new ApiException(ErrorCode.VERIFICATION_FAILED, name + " has sha256 " + got
                        + ", the release's checksum says " + want);
            }
            Path unpacked = scratch.resolve("unpacked");
            BundleArchive.unpack(archive, unpacked);
            Bundle bundle = Bundle.at(unpacked.resolve("heromgr-" + found.version()))
                    .orElseThrow(() -> new ApiException(ErrorCode.VERIFICATION_FAILED, name + " does not hold a heromgr bundle "
                            + "in heromgr-" + found.version() + "/ (bin/heromgr, heromgr.jar, runtime/, VERSION)"));
            if (!bundle.version().equals(found.version())) {
                throw new ApiException(ErrorCode.VERIFICATION_FAILED, name + " says it is version " + bundle.version()
                        + ", not " + found.version());
            }
            return bundle;
        } catch (IOException | RuntimeException e) {
            Installation.removeTree(scratch);
            throw e;
        }
    }
}
