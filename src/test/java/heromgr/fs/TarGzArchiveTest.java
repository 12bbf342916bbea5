package heromgr.fs;

import heromgr.testkit.FileTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Archives made by GNU tar, unpacked; the ones that would write outside the target refused before they do. */
class TarGzArchiveTest {
    private final Path work;

    TarGzArchiveTest() throws IOException {
        work = Files.createTempDirectory("heromgr-tar-");
    }

    @AfterEach
    void clean() throws IOException {
        FileTree.delete(work);
    }

    @Test
    void unpacksFilesFoldersLinksAndLongNamesStrippingTheTopFolder() throws Exception {
        Path top = work.resolve("src/pkg-1.0");
        String longName = "d".repeat(120) + "/" + "f".repeat(120) + ".txt";
        Files.createDirectories(top.resolve(longName).getParent());
        Files.writeString(top.resolve(longName), "long");
        Files.createDirectories(top.resolve("lib"));
        Files.writeString(top.resolve("lib/libx.so.1"), "elf-ish");
        Files.createSymbolicLink(top.resolve("lib/libx.so"), Path.of("libx.so.1"));
        Path tgz = tar(work.resolve("src"), "pkg-1.0");
        Path out = work.resolve("out");
        TarGzArchive.extract(tgz, out, 1);
        assertThat(Files.readString(out.resolve(longName))).isEqualTo("long");
        assertThat(Files.readString(out.resolve("lib/libx.so"))).isEqualTo("elf-ish");
        assertThat(Files.readSymbolicLink(out.resolve("lib/libx.so"))).isEqualTo(Path.of("libx.so.1"));
    }

    @Test
    void refusesNamesThatClimbOutAndLinksThatPointOut() throws Exception {
        Path src = work.resolve("a/b");
        Files.createDirectories(src);
        Files.writeString(work.resolve("a/escape.txt"), "x");
        Path climbing = tar(src, "-P", "../escape.txt");
        assertThatThrownBy(() -> TarGzArchive.extract(climbing, work.resolve("x/out1"), 0)).hasMessageContaining("climbs out");
        assertThat(work.resolve("x/escape.txt")).doesNotExist();

        Files.createSymbolicLink(src.resolve("etc"), Path.of("/etc"));
        Path linking = tar(src, "etc");
        assertThatThrownBy(() -> TarGzArchive.extract(linking, work.resolve("x/out2"), 0)).hasMessageContaining("points outside");
        Path absolute = tar(src, "-P", work.resolve("a/escape.txt").toString());
        assertThatThrownBy(() -> TarGzArchive.extract(absolute, work.resolve("x/out3"), 0)).hasMessageContaining("absolute");
    }

    private Path tar(Path dir, String... what) throws IOException, InterruptedException {
        Path tgz = Files.createTempFile(work, "t-", ".tgz");
        var argv = new ArrayList<>(List.of("tar", "-czf", tgz.toString(), "-C", dir.toString()));
        argv.addAll(List.of(what));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        return tgz;
    }
}
