package heromgr.fs;

import heromgr.testkit.FileTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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

    @Test
    void refusesEntriesUnderALinkItMadeAndLinksWhoseTextClimbsAfterAName() throws Exception {
        // each name and each link's text inside as text; a/l leads to out, x to x/, y to work: escaped would land in work
        Path src = work.resolve("c");
        Files.createDirectories(src.resolve("top/a"));
        Files.createSymbolicLink(src.resolve("top/a/l"), Path.of(".."));
        Files.createSymbolicLink(src.resolve("top/k1"), Path.of(".."));
        Files.createSymbolicLink(src.resolve("top/k2"), Path.of(".."));
        Files.writeString(src.resolve("top/f"), "x");
        Path chain = tar(src, "--transform=s,^top/k1$,top/a/l/x,;s,^top/k2$,top/a/l/x/y,;s,^top/f$,top/a/l/x/y/escaped,",
                "top/a", "top/k1", "top/k2", "top/f");
        assertThatThrownBy(() -> TarGzArchive.extract(chain, work.resolve("x/out"), 1)).hasMessageContaining("lies under a/l, a link");
        assertThat(work.resolve("escaped")).doesNotExist();
        assertThat(Files.exists(work.resolve("x/y"), LinkOption.NOFOLLOW_LINKS)).isFalse();

        // a/p's text ends inside; a/q, made after it, makes q/.. climb from out/a and the rest of it out of out
        Path src2 = work.resolve("d");
        Files.createDirectories(src2.resolve("top/a"));
        Files.createSymbolicLink(src2.resolve("top/a/p"), Path.of("q/../../r"));
        Files.createSymbolicLink(src2.resolve("top/a/q"), Path.of("."));
        Path climbing = tar(src2, "top/a/p", "top/a/q");
        assertThatThrownBy(() -> TarGzArchive.extract(climbing, work.resolve("y/out"), 1)).hasMessageContaining("points outside");
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
