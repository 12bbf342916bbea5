package heromgr.proc.reclaim;

import heromgr.proc.SupervisorException;
import heromgr.proc.os.ProcTable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which processes hold a socket, from procfs: the kernel's socket tables give the socket's inode, and each
 * process's open file descriptors link to {@code socket:[inode]}. Processes of other users cannot be read
 * without privileges and are simply not found.
 */
final class SocketTable {
    private static final Path PROC = Path.of("/proc");
    private static final String TCP_LISTEN = "0A";

    private SocketTable() {
    }

    /** Inodes of the Unix sockets bound to this path (listening and accepted ones alike: all belong to the server). */
    static Set<Long> unixInodes(Path socket) throws IOException {
        String wanted = socket.toAbsolutePath().normalize().toString();
        var out = new HashSet<Long>();
        for (String line : lines(PROC.resolve("net/unix"))) {
            // Num RefCount Protocol Flags Type St Inode Path; the path, last, may itself hold spaces
            String[] f = line.trim().split("\\s+", 8);
            if (f.length == 8 && f[7].equals(wanted)) out.add(Long.parseLong(f[6]));
        }
        return out;
    }

    /** Inodes of the TCP sockets (IPv4 and IPv6, any local address) listening on the port. */
    static Set<Long> tcpListenInodes(int port) throws IOException {
        var out = new HashSet<Long>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = PROC.resolve(table);
            if (!Files.exists(file)) continue; // IPv6 disabled
            for (String line : lines(file)) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[3].equals(TCP_LISTEN)) continue;
                String local = f[1];
                int localPort = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                if (localPort == port) out.add(Long.parseLong(f[9]));
            }
        }
        return out;
    }

    /** Pids with an open descriptor on one of the socket inodes. */
    static List<Long> holders(Set<Long> inodes) {
        var out = new ArrayList<Long>();
        if (inodes.isEmpty()) return out;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> ProcTable.isNumeric(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                if (holdsAny(dir.resolve("fd"), inodes)) out.add(Long.parseLong(dir.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new SupervisorException("cannot list /proc: " + e.getMessage(), e);
        }
        return out;
    }

    private static boolean holdsAny(Path fdDir, Set<Long> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed while we looked
                }
                if (target.startsWith("socket:[") && inodes.contains(Long.parseLong(target.substring(8, target.length() - 1)))) {
                    return true;
                }
            }
        } catch (IOException e) {
            // gone, or another user's process
        }
        return false;
    }

    /** The table's lines without its header. */
    private static List<String> lines(Path file) throws IOException {
        List<String> all = ProcTable.read(file).lines().toList();
        return all.isEmpty() ? all : all.subList(1, all.size());
    }
}
