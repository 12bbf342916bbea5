package heromgr.service;

import heromgr.fs.AtomicFile;
import heromgr.fs.FileDigest;
import heromgr.fs.JsonCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts binaries into $HERO_HOME/bin: checked for the ELF magic, copied atomically (temp file + rename, so bin/
 * never holds a partial file), made executable, the source's mtime kept so freshness checks can compare, and
 * the sha256 of each recorded in $HERO_HOME/var/heromgr/installed/<svc>.json.
 */
public final class BinaryInstaller {
    private final HeroPaths paths;

    public BinaryInstaller(HeroPaths paths) {
        this.paths = paths;
    }

    public InstallResult install(String service, InstallMode mode, List<Path> sources, String version, boolean force) {
        try {
            for (Path src : sources) checkInstallable(service, src);
            List<Artifact> installed = new ArrayList<>();
            boolean changed = false;
            for (Path src : sources) {
                Path target = paths.bin().resolve(src.getFileName());
                String sha = FileDigest.sha256(src);
                boolean same = !force && Files.isRegularFile(target) && Files.isExecutable(target) && sha.equals(FileDigest.sha256(target));
                if (!same) {
                    AtomicFile.copy(src, target, PosixFilePermissions.fromString("rwxr-xr-x"), Files.getLastModifiedTime(src));
                    changed = true;
                }
                installed.add(new Artifact(target, sha));
            }
            Optional<InstallRecord> previous = record(service);
            boolean sameRecord = previous.isPresent() && previous.get().binaries().equals(installed) && previous.get().version().equals(version);
            if (changed || !sameRecord) {
                var rec = new InstallRecord(service, mode.wireName(), version, Instant.now(), installed);
                AtomicFile.write(recordFile(service), JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(rec));
            }
            return new InstallResult(service, mode.wireName(), installed, version, changed);
        } catch (IOException e) {
            throw new HeroException(ErrorCode.INSTALL_FAILED, service + ": install failed: " + e.getMessage(), null, e);
        }
    }

    private static void checkInstallable(String service, Path src) throws IOException {
        if (!Files.isRegularFile(src)) {
            throw new HeroException(ErrorCode.INSTALL_FAILED, service + ": " + src + " does not exist: run service.build first");
        }
        if (!FileDigest.isElf(src)) {
            throw new HeroException(ErrorCode.INSTALL_FAILED, service + ": " + src + " is not an ELF binary");
        }
    }

    public Optional<InstallRecord> record(String service) {
        Path f = recordFile(service);
        if (!Files.exists(f)) return Optional.empty();
        try {
            return Optional.of(JsonCodec.MAPPER.readValue(f.toFile(), InstallRecord.class));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable install record " + f, e);
        }
    }

    /**
     * Removes what install put in bin/ for the service, then its install record (in that order, so a failure
     * midway leaves a record that still names the remaining files). Returns the files removed.
     */
    public List<Path> purge(String service) {
        Optional<InstallRecord> rec = record(service);
        if (rec.isEmpty()) return List.of();
        List<Path> removed = new ArrayList<>();
        try {
            for (Artifact a : rec.get().binaries()) {
                if (Files.deleteIfExists(a.path())) removed.add(a.path());
            }
            Files.deleteIfExists(recordFile(service));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot purge the binaries of " + service + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private Path recordFile(String service) {
        return paths.state().resolve("installed").resolve(service + ".json");
    }
}
