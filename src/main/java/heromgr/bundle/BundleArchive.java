package heromgr.bundle;

import heromgr.fs.ArchiveLinks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Unpacks a bundle's .tar.gz (ustar, as bin/heromgr-bundle writes it) with the JDK alone: a Hero home's PATH may
 * hold no tar. Keeps each file's mode and modification time (the JVM checks an AOT cache against its jars' and
 * runtime's times). Refuses what a bundle never holds: entries that would land outside the target folder (below a
 * link an earlier entry made, too), links pointing out of it, and every entry kind but files, folders and symbolic links.
 */
final class BundleArchive {
    private static final int BLOCK = 512;
    private static final PosixFilePermission[] MODE_BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private record Header(String name, int mode, long size, long mtime, char type, String link) {
    }

    private BundleArchive() {
    }

    /** Unpacks archive into the folder into (created; it should be empty). */
    static void unpack(Path archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
            byte[] block = new byte[BLOCK];
            while (readBlock(in, block)) {
                if (isZero(block)) return;
                Header h = header(block, archive);
                Path target = root.resolve(h.name()).normalize();
                if (!target.startsWith(root) || target.equals(root) && h.type() != '5') {
                    throw new IOException(archive + ": entry " + h.name() + " would land outside " + root);
                }
                // the name is checked as text: below a link an earlier entry made, it would land where that link leads
                Path link = target.equals(root) ? null : ArchiveLinks.linkOnTheWay(root, target.getParent());
                if (link != null) throw new IOException(archive + ": entry " + h.name() + " lies under " + root.relativize(link) + ", a link");
                entry(in, h, target, root, archive);
            }
        } catch (ZipException e) {
            throw new IOException(archive + " is not a gzip archive: " + e.getMessage(), e);
        }
        throw new IOException(archive + " ends without its end-of-archive blocks (truncated?)");
    }

    private static void entry(InputStream in, Header h, Path target, Path root, Path archive) throws IOException {
        switch (h.type()) {
            case '0', '\0' -> {
                Files.createDirectories(target.getParent());
                try (InputStream body = new BoundedStream(in, h.size())) {
                    Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
                }
                in.skipNBytes(padding(h.size()));
                Files.setPosixFilePermissions(target, permissions(h.mode()));
                Files.setLastModifiedTime(target, FileTime.fromMillis(h.mtime() * 1000));
            }
            case '5' -> Files.createDirectories(target);
            case '2' -> {
                Path link = Path.of(h.link());
                if (!ArchiveLinks.staysInside(root, target, link)) {
                    throw new IOException(archive + ": link " + h.name() + " -> " + h.link() + " points outside the bundle");
                }
                Files.createDirectories(target.getParent());
                Files.createSymbolicLink(target, link);
            }
            default -> throw new IOException(archive + ": entry " + h.name() + " is of type '" + h.type()
                    + "', which a heromgr bundle never holds");
        }
    }

    private static Header header(byte[] b, Path archive) throws IOException {
        if (!text(b, 257, 5).equals("ustar")) throw new IOException(archive + ": not a ustar archive (bin/heromgr-bundle writes one)");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? ' ' : b[i] & 0xff;
        if (sum != octal(b, 148, 8)) throw new IOException(archive + ": a damaged header (checksum mismatch)");
        String prefix = text(b, 345, 155);
        String name = text(b, 0, 100);
        return new Header(prefix.isEmpty() ? name : prefix + "/" + name, (int) octal(b, 100, 8), octal(b, 124, 12),
                octal(b, 136, 12), (char) b[156], text(b, 157, 100));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < MODE_BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) set.add(MODE_BITS[bit]);
        }
        return set;
    }

    private static String text(byte[] b, int at, int length) {
        int end = at;
        while (end < at + length && b[end] != 0) end++;
        return new String(b, at, end - at, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int at, int length) throws IOException {
        String s = text(b, at, length).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("a damaged tar header: '" + s + "' is not an octal number", e);
        }
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) return false;
        if (n < BLOCK) throw new IOException("the archive ends in the middle of a block (truncated?)");
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte x : block) {
            if (x != 0) return false;
        }
        return true;
    }

    /** The next size bytes of in, not closing it. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int c = in.read();
            if (c < 0) throw new IOException("the archive ends in the middle of a file (truncated?)");
            left--;
            return c;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n < 0) throw new IOException("the archive ends in the middle of a file (truncated?)");
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.skipNBytes(left);
            left = 0;
        }
    }
}
