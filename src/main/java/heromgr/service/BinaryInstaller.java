package heromgr.service;

import heromgr.fs.FailureCause;
import heromgr.fs.ConfinedHomes;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.api.InstallMode;
import heromgr.fs.AtomicFile;
import heromgr.fs.CrashPoint;
import heromgr.fs.DamagedCopies;
import heromgr.fs.DirectoryTree;
import heromgr.fs.FileDigest;
import heromgr.fs.HeroPaths;
import heromgr.fs.JsonCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts binaries into $HERO_HOME/bin: checked for the ELF magic, placed atomically (temp file in bin/ + rename, so
 * bin/ never holds a partial file), executable, with a fixed mtime so freshness checks can compare; the sha256
 * of each is recorded in $HERO_HOME/var/heromgr/installed/<svc>.json. The binaries and record being replaced are
 * kept under var/heromgr/previous/ so an upgrade can be rolled back.
 */
public final class BinaryInstaller {
    static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Logger log = LoggerFactory.getLogger(BinaryInstaller.class);
    private static final String SWITCHING = ".switching";

    /**
     * A binary ready to be placed: its file, the name it gets in bin/, the mtime it should carry, and the release asset
     * it was downloaded as (null for a build output).
     */
    public record Staged(Path file, String name, FileTime mtime, String asset) {
    }

    private final HeroPaths paths;
    private final Map<String, Optional<InstallRecord>> records = new ConcurrentHashMap<>();

    public BinaryInstaller(HeroPaths paths) {
        this.paths = paths;
    }

    /** Installs build outputs (copied: the build keeps its own). */
    public InstallResult install(String service, InstallMode mode, List<Path> sources, String version, boolean force) {
        try {
            List<Staged> staged = new ArrayList<>();
            for (Path src : sources) {
                checkInstallable(service, src);
                staged.add(new Staged(src, src.getFileName().toString(), Files.getLastModifiedTime(src), null));
            }
            return place(service, mode, staged, version, force, false);
        } catch (IOException e) {
            throw new ApiException(FailureCause.isStorage(e) ? ErrorCode.STORAGE_FAILED : ErrorCode.INSTALL_FAILED,
                    service + ": install failed: " + FailureCause.describe(e), null, e);
        }
    }

    /**
     * Places staged files. With move, the staged files are temp files in bin/ that are renamed into place
     * (downloads); otherwise they are copied. changed is false when every binary already had the same content.
     */
    InstallResult place(String service, InstallMode mode, List<Staged> staged, String version, boolean force, boolean move)
            throws IOException {
        try {
            return switchAndRecord(service, mode, staged, version, force, move);
        } catch (IOException | RuntimeException e) {
            putBackAfterFailure(service, e);
            throw e;
        }
    }

    /**
     * An install that failed half-way (a full disk refusing its record after the binaries were renamed) is undone at
     * once, as a crash's is at the next start: an error must not leave bin/ holding binaries its record does not name,
     * which the service's next restart would run without an upgrade's health check. When the undo fails too, the mark
     * stays for the next start.
     */
    private void putBackAfterFailure(String service, Exception cause) {
        Path mark = switchMark(service);
        if (!Files.exists(mark)) return;
        try {
            List<String> undone = undo(service, mark);
            log.warn("the install of {} failed half-way ({}); {}", service, cause.getMessage(),
                    undone.isEmpty() ? "it had not changed what its record names" : "put back as its record names: " + undone);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private InstallResult switchAndRecord(String service, InstallMode mode, List<Staged> staged, String version, boolean force,
                                          boolean move) throws IOException {
        List<Artifact> installed = new ArrayList<>();
        Map<String, String> assets = new TreeMap<>();
        boolean changed = false;
        Optional<InstallRecord> previous = record(service);
        Map<String, String> switching = new TreeMap<>();
        for (Staged s : staged) switching.put(s.name(), FileDigest.sha256(s.file()));
        for (Staged s : staged) {
            Path target = paths.bin().resolve(s.name());
            String sha = switching.get(s.name());
            boolean same = !force && Files.isRegularFile(target) && Files.isExecutable(target) && sha.equals(FileDigest.sha256(target));
            if (!same) {
                if (!changed) writeJson(switchMark(service), new SwitchMark(switching));
                // with no record there is nothing to roll back to: a file found in bin/ is not kept
                if (previous.isPresent()) keepPrevious(service, target);
                CrashPoint.INSTALL_SWITCHING.reach();
                if (move) {
                    Files.setPosixFilePermissions(s.file(), EXECUTABLE);
                    Files.setLastModifiedTime(s.file(), s.mtime());
                    AtomicFile.moveIntoPlace(s.file(), target);
                } else {
                    AtomicFile.copy(s.file(), target, EXECUTABLE, s.mtime());
                }
                changed = true;
            } else if (move) {
                Files.deleteIfExists(s.file());
            }
            installed.add(new Artifact(target, sha));
            if (s.asset() != null) assets.put(s.name(), s.asset());
        }
        CrashPoint.INSTALL_BEFORE_RECORD.reach();
        boolean sameRecord = previous.isPresent() && previous.get().binaries().equals(installed)
                && previous.get().version().equals(version) && previous.get().mode().equals(mode.wireName())
                && previous.get().assets().equals(assets);
        if (changed || !sameRecord) {
            if (changed && previous.isPresent()) writeJson(previousDir(service).resolve("record.json"), previous.get());
            writeRecord(service, new InstallRecord(service, mode.wireName(), version, Instant.now(), installed, assets));
        }
        Files.deleteIfExists(switchMark(service));
        return new InstallResult(service, mode.wireName(), installed, version, changed, assets);
    }

    /**
     * Undoes the installs a killed daemon left half-way (their mark, installed/&lt;svc&gt;.switching, names the binaries
     * being switched and their new sha256): each binary goes back to what the install record names (the copy kept in
     * previous/), or, with no record of it, a new one the install placed is removed. An install that never answered
     * is then not there at all; one whose record was written is whole and kept. Call it before anything installs.
     */
    public void undoInterrupted() throws IOException {
        Path dir = paths.state().resolve("installed");
        if (!Files.isDirectory(dir)) return;
        try (var marks = Files.newDirectoryStream(dir, "*" + SWITCHING)) {
            for (Path mark : marks) {
                String service = mark.getFileName().toString().replace(SWITCHING, "");
                List<String> undone = undo(service, mark);
                log.warn("an install of {} was cut short by a crash; {}", service, undone.isEmpty()
                        ? "it had not changed what its record names" : "put back as its record names: " + undone);
            }
        }
    }

    /** Puts back each binary the mark names as the install record has it, then drops the mark; the binaries changed. */
    private List<String> undo(String service, Path mark) throws IOException {
        Map<String, String> switched = DamagedCopies.readRecord(mark, SwitchMark.class).map(SwitchMark::sha256).orElse(Map.of());
        var undone = new ArrayList<String>();
        for (var e : switched.entrySet()) {
            if (putBack(service, paths.bin().resolve(e.getKey()), e.getValue())) undone.add(e.getKey());
        }
        Files.deleteIfExists(mark);
        return undone;
    }

    /** True when target was changed back: to its recorded content kept in previous/, or removed when it is newSha and unrecorded. */
    private boolean putBack(String service, Path target, String newSha) throws IOException {
        String want = record(service).flatMap(r -> r.binaries().stream().filter(a -> a.path().equals(target)).findFirst())
                .map(Artifact::sha256).orElse(null);
        boolean present = Files.isRegularFile(target);
        String now = present ? FileDigest.sha256(target) : null;
        if (want == null) return present && newSha.equals(now) && Files.deleteIfExists(target);
        Path kept = previousDir(service).resolve(target.getFileName());
        if (want.equals(now) || !Files.isRegularFile(kept) || !want.equals(FileDigest.sha256(kept))) return false;
        AtomicFile.copy(kept, target, EXECUTABLE, Files.getLastModifiedTime(kept));
        return true;
    }

    /** An install's mark while it switches binaries: their names and new sha256. */
    private record SwitchMark(Map<String, String> sha256) {
    }

    /**
     * Takes note of files that stay where they are (a program another tool installed, a script, a Debian package's
     * binaries): their sha256 is recorded as an install's would be, so verify can tell when one changed. Nothing is
     * copied or kept for a rollback; changed is true when a checksum differs from the last note.
     */
    public InstallResult recordInPlace(String service, InstallMode mode, List<Path> files, String version) {
        try {
            List<Artifact> noted = new ArrayList<>();
            for (Path file : files) noted.add(new Artifact(file, FileDigest.sha256(file)));
            Optional<InstallRecord> previous = record(service);
            boolean changed = previous.isEmpty() || !previous.get().binaries().equals(noted);
            if (changed || !Objects.equals(previous.get().version(), version) || !previous.get().mode().equals(mode.wireName())) {
                writeRecord(service, new InstallRecord(service, mode.wireName(), version, Instant.now(), noted, Map.of()));
            }
            return new InstallResult(service, mode.wireName(), noted, version, changed, Map.of());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INSTALL_FAILED, service + ": cannot read " + e.getMessage(), null, e);
        }
    }

    /** Puts the binaries and record kept by the last changing install back in place; false when nothing was kept. */
    public boolean rollback(String service) throws IOException {
        Path dir = previousDir(service);
        Path rec = dir.resolve("record.json");
        if (!Files.exists(rec)) return false;
        InstallRecord previous = JsonCodec.MAPPER.readValue(rec.toFile(), InstallRecord.class);
        for (Artifact a : previous.binaries()) putBackKept(dir, a);
        writeRecord(service, previous);
        return true;
    }

    /**
     * Only a binary the last install replaced was kept: one it left alone is still in bin/ as recorded, and a copy in
     * previous/ from an older install is another version, so what is put back is checked against the record.
     */
    private static void putBackKept(Path dir, Artifact a) throws IOException {
        if (Files.isRegularFile(a.path()) && a.sha256().equals(FileDigest.sha256(a.path()))) return;
        Path kept = dir.resolve(a.path().getFileName());
        if (!Files.isRegularFile(kept)) throw new IOException("kept binary " + kept + " is missing");
        if (!a.sha256().equals(FileDigest.sha256(kept))) {
            throw new IOException("kept binary " + kept + " is not the one the previous install record names");
        }
        AtomicFile.copy(kept, a.path(), EXECUTABLE, Files.getLastModifiedTime(kept));
    }

    /** The file being replaced is hard-linked (or copied) aside; the rename then leaves it intact there. */
    private void keepPrevious(String service, Path target) throws IOException {
        if (!Files.isRegularFile(target)) return;
        Path kept = previousDir(service).resolve(target.getFileName());
        ConfinedHomes.makeFolder(kept.getParent());
        Files.deleteIfExists(kept);
        try {
            Files.createLink(kept, target);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(target, kept, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    static void checkInstallable(String service, Path src) throws IOException {
        if (!Files.isRegularFile(src)) {
            throw new ApiException(ErrorCode.INSTALL_FAILED, service + ": " + src + " does not exist: run `heromgr service build " + service + "` first");
        }
        if (!FileDigest.isElf(src)) {
            throw new ApiException(ErrorCode.VERIFICATION_FAILED, service + ": " + src.getFileName() + " is not an ELF binary");
        }
    }

    /**
     * What install last recorded for the service. Read from disk once and then kept: service.list asks for every
     * service's version on each call, and only this class writes the records.
     */
    public Optional<InstallRecord> record(String service) {
        return records.computeIfAbsent(service, this::readRecord);
    }

    private Optional<InstallRecord> readRecord(String service) {
        return DamagedCopies.readRecord(recordFile(service), InstallRecord.class);
    }

    private void writeRecord(String service, InstallRecord rec) throws IOException {
        writeJson(recordFile(service), rec);
        records.put(service, Optional.of(rec));
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
                // a file noted in place (recordInPlace) belongs to whoever put it there, not to heromgr
                if (a.path().startsWith(paths.bin()) && Files.deleteIfExists(a.path())) removed.add(a.path());
            }
            Files.deleteIfExists(recordFile(service));
            records.remove(service);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot purge the binaries of " + service + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /**
     * Forgets the service's earlier install: its record and the binaries kept for a rollback (an install with reset
     * starts over from here). The files in bin/ stay until the install that follows replaces them.
     */
    public void forget(String service) {
        try {
            Files.deleteIfExists(recordFile(service));
            records.remove(service);
            DirectoryTree.delete(previousDir(service));
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INSTALL_FAILED, service + ": cannot drop the earlier install: " + e.getMessage(), null, e);
        }
    }

    public HeroPaths paths() {
        return paths;
    }

    private static void writeJson(Path file, Object value) throws IOException {
        AtomicFile.write(file, JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    }

    private Path recordFile(String service) {
        return paths.state().resolve("installed").resolve(service + ".json");
    }

    private Path switchMark(String service) {
        return paths.state().resolve("installed").resolve(service + SWITCHING);
    }

    private Path previousDir(String service) {
        return paths.state().resolve("previous").resolve(service);
    }
}
