package heromgr.service;

import heromgr.fs.FailureCause;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.api.InstallMode;
import heromgr.fs.AtomicFile;
import heromgr.fs.CrashPoint;
import heromgr.fs.FileDigest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Installs a service's binaries from a forge release: assets named {@code <binary>-<suffix>} are downloaded to
 * temp files in bin/ (same filesystem), verified (ELF magic; sha256 against the release's checksum asset when it
 * has one), and only when every binary passed are they renamed into place. A binary whose role was renamed is taken
 * under its older asset name when the release has no asset under the new one (installed under the new name, and the
 * install record says which asset it was). A failure anywhere leaves bin/ as
 * it was. Installing the version already in place, as the binaries the class installs now with the same checksums,
 * downloads nothing and touches nothing.
 */
public final class ReleaseInstall {
    /** Role suffixes renamed by the Hero convention (hero_skills 371138f), new → old: releases cut before it ship the old. */
    static final Map<String, String> RENAMED_ROLES = Map.of("_admin", "_ui");

    private final ForgeClient forge;
    private final BinaryInstaller installer;
    private final DownloadProgress progress;

    public ReleaseInstall(ForgeClient forge, BinaryInstaller installer) {
        this(forge, installer, DownloadProgress.NONE);
    }

    private ReleaseInstall(ForgeClient forge, BinaryInstaller installer, DownloadProgress progress) {
        this.forge = forge;
        this.installer = installer;
        this.progress = progress;
    }

    /** The same installer, telling progress how its downloads advance (one operation's view of it). */
    public ReleaseInstall reporting(DownloadProgress newProgress) {
        return new ReleaseInstall(forge, installer, newProgress);
    }

    public InstallResult install(String service, String ownerRepo, List<String> binaries, String suffix, String version,
                                 boolean force) {
        ForgeRelease release = forge.release(ownerRepo, version);
        if (!force && alreadyInPlace(service, release.tagName(), binaries)) {
            InstallRecord rec = installer.record(service).orElseThrow();
            return new InstallResult(service, InstallMode.DOWNLOAD.wireName(), rec.binaries(), rec.version(), false, rec.assets());
        }
        List<ForgeRelease.Asset> assets = new ArrayList<>();
        for (String binary : binaries) assets.add(assetOf(service, ownerRepo, release, binary, suffix));
        Map<String, String> expected = forge.checksums(release);
        List<BinaryInstaller.Staged> staged = new ArrayList<>();
        FileTime mtime = FileTime.from(release.publishedAt() == null ? Instant.now() : release.publishedAt());
        try {
            for (int i = 0; i < binaries.size(); i++) {
                staged.add(fetch(service, assets.get(i), binaries.get(i), expected, mtime));
            }
            CrashPoint.INSTALL_VERIFIED.reach();
            return installer.place(service, InstallMode.DOWNLOAD, staged, release.tagName(), force, true);
        } catch (IOException e) {
            throw new ApiException(FailureCause.isStorage(e) ? ErrorCode.STORAGE_FAILED : ErrorCode.INSTALL_FAILED,
                    service + ": install failed: " + FailureCause.describe(e), null, e);
        } finally {
            for (BinaryInstaller.Staged s : staged) deleteQuietly(s.file());
        }
    }

    /**
     * The asset {@code <binary>-<suffix>}; when the release has none and the binary's role was renamed (the admin
     * binary was called {@code <svc>_ui} before the Hero convention changed), the asset under the older name, which
     * is then installed under the canonical one.
     */
    private static ForgeRelease.Asset assetOf(String service, String ownerRepo, ForgeRelease release, String binary, String suffix) {
        String name = binary + "-" + suffix;
        Optional<ForgeRelease.Asset> asset = release.asset(name);
        String older = olderName(binary);
        if (asset.isEmpty() && older != null) asset = release.asset(older + "-" + suffix);
        return asset.orElseThrow(() -> new ApiException(ErrorCode.DOWNLOAD_FAILED,
                service + ": release " + release.tagName() + " of " + ownerRepo + " has no asset " + name
                        + (older == null ? "" : " (nor " + older + "-" + suffix + ", its older name)")
                        + " (it has: " + release.assets().stream().map(ForgeRelease.Asset::name).toList() + ")"));
    }

    /** The name a binary had before its role was renamed; null when it had no other. */
    static String olderName(String binary) {
        for (Map.Entry<String, String> renamed : RENAMED_ROLES.entrySet()) {
            if (binary.endsWith(renamed.getKey())) {
                return binary.substring(0, binary.length() - renamed.getKey().length()) + renamed.getValue();
            }
        }
        return null;
    }

    private BinaryInstaller.Staged fetch(String service, ForgeRelease.Asset asset, String binary, Map<String, String> expected,
                                         FileTime mtime) throws IOException {
        Path target = installer.paths().bin().resolve(binary);
        Path tmp = AtomicFile.tempBeside(target);
        try {
            forge.download(asset, tmp, (done, total) -> progress.update(binary, asset.name(), done, total));
            CrashPoint.INSTALL_DOWNLOADED.reach();
            if (!FileDigest.isElf(tmp)) {
                throw new ApiException(ErrorCode.VERIFICATION_FAILED, service + ": asset " + asset.name() + " is not an ELF binary");
            }
            String want = expected.get(asset.name());
            if (want != null) checkSha256(service, asset, tmp, want);
            return new BinaryInstaller.Staged(tmp, binary, mtime, asset.name());
        } catch (RuntimeException | IOException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * One asset of a release (an archive, not a binary) downloaded into target, which the caller owns and removes on
     * failure, and checked against the release's checksum asset, which it must have: the archive carries no other
     * mark of being the right one. Returns the release and the asset's sha256.
     */
    public Downloaded downloadChecked(String service, String ownerRepo, String tag, String assetName, Path target) throws IOException {
        ForgeRelease release = forge.release(ownerRepo, tag);
        ForgeRelease.Asset asset = release.asset(assetName).orElseThrow(() -> new ApiException(ErrorCode.DOWNLOAD_FAILED,
                service + ": release " + release.tagName() + " of " + ownerRepo + " has no asset " + assetName));
        String want = forge.checksums(release).get(assetName);
        if (want == null) {
            throw new ApiException(ErrorCode.VERIFICATION_FAILED, service + ": release " + release.tagName() + " of " + ownerRepo
                    + " has no checksum for " + assetName + " (" + assetName + ".sha256 or one of " + ForgeClient.CHECKSUM_FILES + ")");
        }
        forge.download(asset, target, (done, total) -> progress.update(service, asset.name(), done, total));
        return new Downloaded(release, checkSha256(service, asset, target, want));
    }

    /** What {@link #downloadChecked} fetched: from which release, and the checked sha256. */
    public record Downloaded(ForgeRelease release, String sha256) {
    }

    private static String checkSha256(String service, ForgeRelease.Asset asset, Path file, String want) throws IOException {
        String got = FileDigest.sha256(file);
        if (!got.equals(want)) {
            throw new ApiException(ErrorCode.VERIFICATION_FAILED, service + ": asset " + asset.name()
                    + " has sha256 " + got + ", the release's checksum says " + want);
        }
        return got;
    }

    /** binaries: what the class installs now, which a heromgr upgrade may have changed since the record was written. */
    private boolean alreadyInPlace(String service, String tag, List<String> binaries) {
        Optional<InstallRecord> rec = installer.record(service);
        if (rec.isEmpty() || !tag.equals(rec.get().version()) || !rec.get().mode().equals(InstallMode.DOWNLOAD.wireName())) {
            return false;
        }
        List<String> recorded = rec.get().binaries().stream().map(a -> a.path().getFileName().toString()).toList();
        if (!recorded.equals(binaries)) return false;
        try {
            for (Artifact a : rec.get().binaries()) {
                if (!Files.isRegularFile(a.path()) || !a.sha256().equals(FileDigest.sha256(a.path()))) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is swept at the next daemon start
        }
    }
}
