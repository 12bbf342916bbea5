package heromgr.service;

import heromgr.api.InstallMode;
import heromgr.fs.FileDigest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks what is in $HERO_HOME/bin (and the service's overlays in lib/) against what install recorded, and against the source checkout. */
public final class BinaryVerifier {
    private BinaryVerifier() {
    }

    public static Verification verify(HeroService service, Ctx ctx) {
        Optional<InstallRecord> record = ctx.installer().record(service.baseName());
        List<Verification.BinaryCheck> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (record.isEmpty()) problems.add("not installed: run `heromgr service install " + service.name() + "`");
        Long newestSource = newestSource(service.sourceDir(ctx), record);
        for (String binary : service.binaries()) {
            Path path = ctx.paths().bin().resolve(binary);
            String expected = record.flatMap(r -> r.binaries().stream().filter(a -> a.path().equals(path)).findFirst())
                    .map(Artifact::sha256).orElse(null);
            String asset = record.map(r -> r.assets().get(binary)).orElse(null);
            checks.add(check(service.name(), path, expected, newestSource, problems).from(asset));
        }
        for (OnnxRuntimeOverlay o : service.overlays()) checks.add(o.check(ctx.paths(), problems));
        return new Verification(service.name(), problems.isEmpty(), checks, problems);
    }

    /**
     * Files that stay where they are (see {@link BinaryInstaller#recordInPlace}): each present, executable when
     * executable says so, and as install noted it. ELF is shown, not required: a program may be a launcher script.
     */
    public static Verification verifyInPlace(HeroService service, Ctx ctx, List<Path> files, List<Path> executable) {
        Optional<InstallRecord> record = ctx.installer().record(service.baseName());
        List<Verification.BinaryCheck> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (record.isEmpty()) problems.add("no checksums noted yet: run `heromgr service install " + service.name() + "`");
        for (Path file : files) {
            String expected = record.flatMap(r -> r.binaries().stream().filter(a -> a.path().equals(file)).findFirst())
                    .map(Artifact::sha256).orElse(null);
            if (!Files.isRegularFile(file)) {
                problems.add(file + ": missing");
                checks.add(new Verification.BinaryCheck(file, false, false, false, null, expected, null, null));
                continue;
            }
            checks.add(examine(service.name(), file, executable.contains(file), false, expected, null, problems));
        }
        return new Verification(service.name(), problems.isEmpty(), checks, problems);
    }

    private static Verification.BinaryCheck check(String service, Path path, String expected, Long newestSource, List<String> problems) {
        String name = path.getFileName().toString();
        if (!Files.isRegularFile(path)) {
            problems.add(name + ": missing from " + path.getParent() + ": run `heromgr service install " + service + "`");
            return new Verification.BinaryCheck(path, false, false, false, null, expected, null, null);
        }
        return examine(service, path, true, true, expected, newestSource, problems);
    }

    /** A present file: executable (when it must be), ELF (when it must be), its sha256 as recorded, newer than its sources. */
    private static Verification.BinaryCheck examine(String service, Path path, boolean mustExecute, boolean mustBeElf, String expected,
                                                    Long newestSource, List<String> problems) {
        String name = mustBeElf ? path.getFileName().toString() : path.toString();
        boolean executable = Files.isExecutable(path);
        if (mustExecute && !executable) problems.add(name + ": not executable");
        boolean elf;
        String sha;
        Boolean fresh = null;
        try {
            elf = FileDigest.isElf(path);
            sha = FileDigest.sha256(path);
            if (newestSource != null) fresh = Files.getLastModifiedTime(path).toMillis() >= newestSource;
        } catch (IOException e) {
            problems.add(name + ": unreadable: " + e.getMessage());
            return new Verification.BinaryCheck(path, true, executable, false, null, expected, null, null);
        }
        if (mustBeElf && !elf) problems.add(name + ": not an ELF binary");
        if (expected == null) problems.add(name + ": no checksum recorded by install");
        else if (!expected.equals(sha)) problems.add(name + ": sha256 " + sha + " differs from the installed " + expected
                + (mustBeElf ? "" : ": if the change is meant, run `heromgr service install " + service + "` to take note of it"));
        if (Boolean.FALSE.equals(fresh)) problems.add(name + ": older than its sources: run `heromgr service build " + service + "` and `heromgr service install " + service + "`");
        return new Verification.BinaryCheck(path, true, executable, elf, sha, expected, fresh, null);
    }

    /** The newest source file's mtime when the binaries came from a build of an existing checkout; else null. */
    private static Long newestSource(Path sourceDir, Optional<InstallRecord> record) {
        boolean fromSource = record.map(r -> InstallMode.SOURCE.wireName().equals(r.mode())).orElse(false);
        if (!fromSource || !Files.isDirectory(sourceDir)) return null;
        try {
            return CargoBuild.newestSource(sourceDir);
        } catch (IOException e) {
            return null;
        }
    }
}
