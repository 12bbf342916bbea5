package heromgr.proc.reclaim;

import heromgr.proc.os.ProcTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Who holds a Unix socket path or listens on a TCP port, as procfs shows it: the query the reclaimer uses before a
 * start, offered to the rest of the daemon (troubleshoot names the holder in its hints). Read-only: nothing is
 * signalled here.
 */
public final class SocketHolders {
    private static final int CMDLINE_CHARS = 120;
    /** S_IFMT and S_IFSOCK from stat(2). */
    private static final int FILE_TYPE_MASK = 0170000;
    private static final int SOCKET_TYPE = 0140000;

    /** A process with the socket open: its pid and command line (cut to 120 characters). */
    public record Holder(long pid, String commandLine) {
        @Override
        public String toString() {
            return "pid " + pid + " (" + commandLine + ")";
        }
    }

    /**
     * What the kernel shows for one socket. bound: a socket is bound to the path (or listens on the port);
     * holders: the processes seen holding it, empty when bound by a process heromgr may not look at (another user's,
     * another network namespace).
     */
    public record Holding(boolean bound, List<Holder> holders) {
        public Holding {
            holders = List.copyOf(holders);
        }
    }

    private SocketHolders() {
    }

    public static Holding ofUnixSocket(Path socket) throws IOException {
        return holding(SocketTable.unixInodes(socket));
    }

    public static Holding ofTcpPort(int port) throws IOException {
        return holding(SocketTable.tcpListenInodes(port));
    }

    /** Whether the path (not followed if a link) is a socket file, as opposed to a regular file or directory. */
    public static boolean isSocketFile(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & FILE_TYPE_MASK) == SOCKET_TYPE;
    }

    private static Holding holding(Set<Long> inodes) {
        return new Holding(!inodes.isEmpty(), SocketTable.holders(inodes).stream().map(pid -> new Holder(pid, describe(pid))).toList());
    }

    /** The command line, else the executable, for messages that name a process. */
    static String describe(long pid) {
        String cmdline = ProcTable.commandLine(pid, CMDLINE_CHARS);
        if (!cmdline.isEmpty()) return cmdline;
        Path exe = ProcTable.executable(pid);
        return exe == null ? "command line unreadable" : exe.toString();
    }
}
