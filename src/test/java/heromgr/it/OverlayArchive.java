package heromgr.it;

import heromgr.fs.FileDigest;
import heromgr.service.OnnxRuntimeOverlay;
import heromgr.testkit.FileTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An ONNX Runtime release archive in Microsoft's layout (one top folder, the library versioned with an unversioned
 * link to it, headers beside), made with tar around a real shared library of the JDK: what matters to heromgr is
 * where the library goes, not what it does.
 */
final class OverlayArchive {
    private OverlayArchive() {
    }

    static byte[] library() {
        try {
            return Files.readAllBytes(Path.of(System.getProperty("java.home"), "lib/libjava.so"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] of(OnnxRuntimeOverlay ort, byte[] library) {
        return packed(work -> {
            String top = "onnxruntime-linux-x64-" + ort.version();
            Path lib = work.resolve(top).resolve("lib");
            Files.createDirectories(lib);
            Files.write(lib.resolve("libonnxruntime.so." + ort.version()), library);
            Files.createSymbolicLink(lib.resolve("libonnxruntime.so"), Path.of("libonnxruntime.so." + ort.version()));
            Files.createDirectories(work.resolve(top).resolve("include"));
            Files.writeString(work.resolve(top).resolve("include/onnxruntime_c_api.h"), "/* header */\n");
            return List.of(top);
        });
    }

    /**
     * An archive whose names climb out through links it makes: "a/l" links to "..", and below it each of climbs links
     * to ".." one folder deeper by name; a file named file comes last, below them all. Every name and every link's
     * text stays inside the archive's folder as text, while each link, placed below the one before, leads a folder
     * further up. Made by GNU tar, which renames the plain entries into place (--transform).
     */
    static byte[] climbingOut(List<String> climbs, String file) {
        return packed(work -> {
            Files.createDirectories(work.resolve("top/a"));
            Files.createSymbolicLink(work.resolve("top/a/l"), Path.of(".."));
            var options = new ArrayList<String>();
            var members = new ArrayList<>(List.of("top/a"));
            String below = "top/a/l";
            for (int i = 0; i < climbs.size(); i++) {
                below += "/" + climbs.get(i);
                Files.createSymbolicLink(work.resolve("top/k" + i), Path.of(".."));
                options.add("--transform=s,^top/k" + i + "$," + below + ",");
                members.add("top/k" + i);
            }
            Files.writeString(work.resolve("top/f"), "escaped\n");
            options.add("--transform=s,^top/f$," + below + "/" + file + ",");
            members.add("top/f");
            options.addAll(members);
            return options;
        });
    }

    /** What goes into an archive: its files laid out in a work folder, and tar's arguments after -C (options, members). */
    private interface Layout {
        List<String> lay(Path work) throws IOException;
    }

    /** The .tar.gz GNU tar makes of layout, in a temp folder removed after. */
    private static byte[] packed(Layout layout) {
        Path work = null;
        try {
            work = Files.createTempDirectory("heromgr-ort-");
            var argv = new ArrayList<>(List.of("tar", "-czf", work.resolve("out.tgz").toString(), "-C", work.toString()));
            argv.addAll(layout.lay(work));
            Process tar = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) throw new IllegalStateException("tar failed: " + out);
            return Files.readAllBytes(work.resolve("out.tgz"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (work != null) delete(work);
        }
    }

    /** Publishes the archive as the overlay's release, with a SHA256SUMS saying sha (the archive's own, or a wrong one). */
    static void publish(FakeForge forge, OnnxRuntimeOverlay ort, byte[] archive, String sha, Instant published) {
        forge.release(ort.repo(), ort.tag(), published, Map.of(ort.asset(), archive,
                "SHA256SUMS", (sha + "  " + ort.asset() + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    static String sha256(byte[] bytes) {
        try {
            Path tmp = Files.createTempFile("heromgr-sha-", ".bin");
            try {
                Files.write(tmp, bytes);
                return FileDigest.sha256(tmp);
            } finally {
                Files.delete(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try {
            FileTree.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
