package heromgr.fs;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a .tar.gz (ustar, with GNU long names and pax paths) into a folder that nothing reads yet, refusing any
 * entry that would land outside it: absolute names, "..", links pointing out, entries under a link an earlier entry
 * made, hard links and device files. Files
 * get their archive mode without group/other write. The leading folder of every name can be stripped (tar's
 * --strip-components=1), as release archives wrap everything in one.
 */
public final class TarGzArchive {
    private static final int BLOCK = 512;
    private static final long MAX_TOTAL = 4L << 30;

    private TarGzArchive() {
    }

    public static void extract(Path archive, Path into, int strip) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 64 * 1024))) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            String longLink = null;
            long total = 0;
            while (in.readNBytes(header, 0, BLOCK) == BLOCK && !zeros(header)) {
                char type = (char) header[156];
                long size = octal(header, 124, 12);
                total += size;
                if (total > MAX_TOTAL) throw new IOException("archive unpacks to more than " + MAX_TOTAL + " bytes");
                String name = longName != null ? longName : name(header);
                String link = longLink != null ? longLink : text(header, 157, 100);
                longName = null;
                longLink = null;
                switch (type) {
                    case 'L' -> longName = trimNul(new String(body(in, size), StandardCharsets.UTF_8));
                    case 'K' -> longLink = trimNul(new String(body(in, size), StandardCharsets.UTF_8));
                    case 'x' -> {
                        String pax = new String(body(in, size), StandardCharsets.UTF_8);
                        longName = paxValue(pax, "path");
                        longLink = paxValue(pax, "linkpath");
                    }
                    case 'g' -> body(in, size);
                    case '0', '\0', '5', '2' -> {
                        Path target = place(root, name, strip);
                        if (target == null) {
                            skip(in, size);
                        } else if (type == '5') {
                            Files.createDirectories(target);
                        } else if (type == '2') {
                            symlink(root, target, link);
                        } else {
                            file(in, target, size, (int) octal(header, 100, 8));
                        }
                    }
                    default -> throw new IOException("entry " + name + " is of tar type '" + type + "', which heromgr does not unpack");
                }
            }
        }
    }

    /** Where an entry goes; null for the stripped leading folder itself. */
    private static Path place(Path root, String name, int strip) throws IOException {
        if (name.startsWith("/")) throw new IOException("entry " + name + " has an absolute name");
        Path rel = Path.of(name).normalize();
        if (rel.startsWith("..") || name.contains("/../") || name.startsWith("../")) throw new IOException("entry " + name + " climbs out with ..");
        if (rel.getNameCount() <= strip || rel.toString().isEmpty()) return null;
        Path target = root.resolve(rel.subpath(strip, rel.getNameCount())).normalize();
        if (!target.startsWith(root)) throw new IOException("entry " + name + " lands outside " + root);
        // the names are checked as text: below a link the archive made, the entry would land where that link leads
        // (a chain of links each "..", each inside by its text, climbs one folder a link out of the target)
        Path link = ArchiveLinks.linkOnTheWay(root, target.getParent());
        if (link != null) throw new IOException("entry " + name + " lies under " + root.relativize(link) + ", a link");
        return target;
    }

    private static void symlink(Path root, Path target, String link) throws IOException {
        if (!ArchiveLinks.staysInside(root, target, Path.of(link))) {
            throw new IOException("link " + root.relativize(target) + " -> " + link + " points outside the archive");
        }
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        Files.createSymbolicLink(target, Path.of(link));
    }

    private static void file(InputStream in, Path target, long size, int mode) throws IOException {
        Files.createDirectories(target.getParent());
        if (Files.isSymbolicLink(target)) throw new IOException("entry " + target + " would write through a link");
        try (var out = Files.newOutputStream(target)) {
            long left = size;
            byte[] buf = new byte[64 * 1024];
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new EOFException("archive ends inside " + target.getFileName());
                out.write(buf, 0, n);
                left -= n;
            }
        }
        skip(in, padding(size));
        Files.setPosixFilePermissions(target, permissions(mode & 0755 | 0400));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) if ((mode & (1 << bit)) != 0) perms.add(order[bit]);
        return perms;
    }

    private static byte[] body(InputStream in, long size) throws IOException {
        if (size > 1 << 20) throw new IOException("a tar header entry of " + size + " bytes");
        byte[] b = in.readNBytes((int) size);
        if (b.length != size) throw new EOFException("archive ends inside a header entry");
        skip(in, padding(size));
        return b;
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static String name(byte[] h) {
        String name = text(h, 0, 100);
        String prefix = text(h, 345, 155);
        boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        return ustar && !prefix.isEmpty() ? prefix + "/" + name : name;
    }

    private static String text(byte[] h, int at, int len) {
        int end = at;
        while (end < at + len && h[end] != 0) end++;
        return new String(h, at, end - at, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int at, int len) throws IOException {
        String s = text(h, at, len).trim();
        if (s.isEmpty()) return 0;
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("a tar header with a number heromgr cannot read: '" + s + "'");
        }
    }

    /** A pax record "LEN key=value\n"; null when the key is absent. */
    private static String paxValue(String pax, String key) {
        for (String line : pax.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith(key + "=", space + 1)) return line.substring(space + 2 + key.length());
        }
        return null;
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    private static boolean zeros(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
