package heromgr.bundle;

import heromgr.testkit.FileTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unpacking a bundle archive: modes and times kept; what a bundle never holds refused, naming the entry. */
class BundleArchiveTest {
    private final Path dir = tempDir();

    @AfterEach
    void removeDir() throws IOException {
        FileTree.delete(dir);
    }

    @Test
    void keepsModesTimesAndLinks() throws IOException {
        Path archive = archive(new Entry("b/bin/run", '0', 0755, "echo hi"), new Entry("b/lib/", '5', 0755, ""),
                new Entry("b/lib/note", '2', 0777, "../bin/run"));
        BundleArchive.unpack(archive, dir.resolve("out"));

        Path run = dir.resolve("out/b/bin/run");
        assertThat(run).hasContent("echo hi");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run))).isEqualTo("rwxr-xr-x");
        assertThat(Files.getLastModifiedTime(run).toMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(Files.readSymbolicLink(dir.resolve("out/b/lib/note"))).isEqualTo(Path.of("../bin/run"));
    }

    @Test
    void refusesEntriesAndLinksLeadingOutside() throws IOException {
        Path escape = archive(new Entry("b/../../evil", '0', 0644, "x"));
        assertThatThrownBy(() -> BundleArchive.unpack(escape, dir.resolve("out"))).hasMessageContaining("b/../../evil")
                .hasMessageContaining("outside");
        Path link = archive(new Entry("b/passwd", '2', 0777, "/etc/passwd"));
        assertThatThrownBy(() -> BundleArchive.unpack(link, dir.resolve("out2"))).hasMessageContaining("points outside");
        Path device = archive(new Entry("b/dev", '3', 0644, ""));
        assertThatThrownBy(() -> BundleArchive.unpack(device, dir.resolve("out3"))).hasMessageContaining("type '3'");
        assertThat(dir.resolve("evil")).doesNotExist();
    }

    @Test
    void refusesEntriesUnderALinkItMadeAndLinksWhoseTextClimbsAfterAName() throws IOException {
        // each inside as text; b/l leads to out, b/l/x (made in out) to dir: evil would land in dir
        Path chain = archive(new Entry("b/", '5', 0755, ""), new Entry("b/l", '2', 0777, ".."),
                new Entry("b/l/x", '2', 0777, ".."), new Entry("b/l/x/evil", '0', 0644, "x"));
        assertThatThrownBy(() -> BundleArchive.unpack(chain, dir.resolve("out"))).hasMessageContaining("lies under b/l, a link");
        assertThat(dir.resolve("evil")).doesNotExist();
        assertThat(Files.exists(dir.resolve("x"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        // b/p's text ends inside; b/q, made after it, makes q/.. climb from out/b and the rest of it out of out
        Path climbing = archive(new Entry("b/p", '2', 0777, "q/../../r"), new Entry("b/q", '2', 0777, "."));
        assertThatThrownBy(() -> BundleArchive.unpack(climbing, dir.resolve("out2"))).hasMessageContaining("points outside");
    }

    @Test
    void refusesWhatIsNoArchive() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.tar.gz"), "not gzip");
        assertThatThrownBy(() -> BundleArchive.unpack(plain, dir.resolve("out"))).hasMessageContaining("not a gzip archive");
        byte[] whole = Files.readAllBytes(archive(new Entry("b/f", '0', 0644, "x".repeat(2000))));
        Path cut = Files.write(dir.resolve("cut.tar.gz"), gzip(gunzip(whole), 1200));
        assertThatThrownBy(() -> BundleArchive.unpack(cut, dir.resolve("out2"))).hasMessageContaining("truncated");
    }

    private record Entry(String name, char type, int mode, String body) {
    }

    /** A ustar archive as tar writes one (header fields octal, checksum over the header with its field as spaces). */
    private Path archive(Entry... entries) throws IOException {
        var tar = new ByteArrayOutputStream();
        for (Entry e : entries) {
            byte[] body = e.type() == '0' ? e.body().getBytes(StandardCharsets.UTF_8) : new byte[0];
            byte[] h = new byte[512];
            put(h, 0, e.name());
            put(h, 100, String.format("%07o", e.mode()));
            put(h, 124, String.format("%011o", body.length));
            put(h, 136, String.format("%011o", 1_700_000_000L));
            h[156] = (byte) e.type();
            if (e.type() == '2') put(h, 157, e.body());
            put(h, 257, "ustar");
            put(h, 263, "00");
            for (int i = 148; i < 156; i++) h[i] = ' ';
            int sum = 0;
            for (byte b : h) sum += b & 0xff;
            put(h, 148, String.format("%06o", sum) + "\0 ");
            tar.write(h);
            tar.write(body);
            tar.write(new byte[(512 - body.length % 512) % 512]);
        }
        tar.write(new byte[1024]);
        return Files.write(Files.createTempFile(dir, "a", ".tar.gz"), gzip(tar.toByteArray(), tar.size()));
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, at, b.length);
    }

    private static byte[] gzip(byte[] bytes, int length) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(bytes, 0, length);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("heromgr-archive-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
