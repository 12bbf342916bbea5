package heromgr.service;

import heromgr.fs.ConfinedHomes;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.AtomicFile;
import heromgr.fs.FileDigest;
import heromgr.fs.HeroPaths;
import heromgr.fs.JsonCodec;
import heromgr.fs.TarGzArchive;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The ONNX Runtime shared library that hero_voice, hero_embedder and hero_editor load at run time (the ort crate's
 * load-dynamic mode): installed once from a release asset into $HERO_HOME/lib/onnxruntime/&lt;version&gt;/ and shared
 * by them. The archive must match the release's checksum asset; it is unpacked into a hidden folder beside the
 * final one, its library checked to be ELF, a record written, and only then is the folder renamed into place, so a
 * failure anywhere leaves nothing half-written. A service gets {@code ORT_DYLIB_PATH} (the library) and the
 * library folder ahead of {@code LD_LIBRARY_PATH}.
 *
 * @param repo the forge repository whose release carries the archive (the Hero mirror of Microsoft's releases)
 * @param version the runtime's version; the release tag is v + version, the asset Microsoft's archive name
 */
public record OnnxRuntimeOverlay(String repo, String version) {
    /** heromgr's choice: the seed declares Extra::OnnxRuntime { version, ci_target } but names neither, nor a repository. */
    public static final OnnxRuntimeOverlay DEFAULT = new OnnxRuntimeOverlay("lhumina_code/onnxruntime", "1.20.1");
    static final String RECORD = "overlay.json";

    /** What an install put in place, kept beside it: what verify compares against. */
    public record Installed(String repo, String tag, String asset, String assetSha256, Path library, String librarySha256,
                            Instant installedAt) {
    }

    public String tag() {
        return "v" + version;
    }

    public String asset() {
        return "onnxruntime-linux-x64-" + version + ".tgz";
    }

    public Path dir(HeroPaths paths) {
        return paths.home().resolve("lib/onnxruntime").resolve(version);
    }

    public Path library(HeroPaths paths) {
        return dir(paths).resolve("lib/libonnxruntime.so");
    }

    /** ORT_DYLIB_PATH, and the library folder first on LD_LIBRARY_PATH (before whatever the daemon's environment has). */
    public Map<String, String> env(HeroPaths paths, Map<String, String> daemonEnv) {
        String libDir = library(paths).getParent().toString();
        String inherited = daemonEnv.get("LD_LIBRARY_PATH");
        var env = new LinkedHashMap<String, String>();
        env.put("ORT_DYLIB_PATH", library(paths).toString());
        env.put("LD_LIBRARY_PATH", inherited == null || inherited.isBlank() ? libDir : libDir + ":" + inherited);
        return env;
    }

    public Optional<Installed> installed(HeroPaths paths) {
        Path rec = dir(paths).resolve(RECORD);
        if (!Files.isRegularFile(rec)) return Optional.empty();
        try {
            return Optional.of(JsonCodec.MAPPER.readValue(rec.toFile(), Installed.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Installs the overlay unless it is in place already (shared: the second service's install finds it there). One
     * at a time in this daemon (the only one serving this HERO_HOME): two services installing at once share one download.
     */
    public Installed install(Ctx ctx, String service) {
        synchronized (OnnxRuntimeOverlay.class) {
            return installOnce(ctx, service);
        }
    }

    private Installed installOnce(Ctx ctx, String service) {
        Optional<Installed> present = installed(ctx.paths());
        if (present.isPresent()) return present.get();
        Path dir = dir(ctx.paths());
        // fixed names: what a daemon killed mid-install left is removed by the next install
        Path staging = dir.resolveSibling("." + version + ".unpacking");
        Path archive = dir.resolveSibling("." + asset() + ".download");
        try {
            deleteTree(staging);
            Files.deleteIfExists(archive);
            ConfinedHomes.makeFolder(dir.getParent());
            ReleaseInstall.Downloaded got = ctx.releases().downloadChecked(service, repo, tag(), asset(), archive);
            TarGzArchive.extract(archive, staging, 1);
            Path library = staging.resolve(dir.relativize(library(ctx.paths())));
            if (!Files.isRegularFile(library) || !FileDigest.isElf(library)) {
                throw new ApiException(ErrorCode.VERIFICATION_FAILED, service + ": " + asset() + " has no ELF library at "
                        + dir.relativize(library(ctx.paths())));
            }
            var record = new Installed(repo, got.release().tagName(), asset(), got.sha256(), library(ctx.paths()),
                    FileDigest.sha256(library), Instant.now());
            AtomicFile.write(staging.resolve(RECORD), JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            return record;
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            throw new ApiException(ErrorCode.INSTALL_FAILED, service + ": cannot put the ONNX Runtime overlay in place at " + dir
                    + ": it exists without its record " + RECORD + "; remove the folder and install again");
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INSTALL_FAILED, service + ": ONNX Runtime overlay " + asset() + ": " + e.getMessage(), null, e);
        } finally {
            deleteQuietly(archive);
            deleteQuietly(staging);
        }
    }

    /** A start without the overlay would fail inside the service at its first inference: refuse it up front. */
    public void requireInstalled(HeroPaths paths, String service) {
        if (installed(paths).isEmpty() || !Files.isRegularFile(library(paths))) {
            throw new ApiException(ErrorCode.START_FAILED, service + " needs the ONNX Runtime " + version + " overlay in " + dir(paths)
                    + ": run `heromgr service install " + service + "`");
        }
    }

    /** The library as verify sees it, against what the overlay's install recorded; problems are added to problems. */
    public Verification.BinaryCheck check(HeroPaths paths, List<String> problems) {
        Path lib = library(paths);
        String expected = installed(paths).map(Installed::librarySha256).orElse(null);
        String label = "ONNX Runtime " + version + " overlay";
        if (!Files.isRegularFile(lib)) {
            problems.add(label + ": " + lib + " is missing: run `heromgr service install` of a service that uses it");
            return new Verification.BinaryCheck(lib, false, false, false, null, expected, null, null);
        }
        try {
            boolean elf = FileDigest.isElf(lib);
            String sha = FileDigest.sha256(lib);
            if (!elf) problems.add(label + ": " + lib + " is not an ELF library");
            if (expected == null) problems.add(label + ": no record of its install in " + dir(paths).resolve(RECORD));
            else if (!expected.equals(sha)) problems.add(label + ": " + lib + " has sha256 " + sha + ", its install recorded " + expected);
            return new Verification.BinaryCheck(lib, true, Files.isReadable(lib), elf, sha, expected, null, null);
        } catch (IOException e) {
            problems.add(label + ": " + lib + " is unreadable: " + e.getMessage());
            return new Verification.BinaryCheck(lib, true, false, false, null, expected, null, null);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // a leftover of a failed install is removed by the next one
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
