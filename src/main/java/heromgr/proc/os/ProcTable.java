package heromgr.proc.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What /proc says about processes: whether they still run (kill(pid, 0) also counts zombies, which nobody can
 * stop anyway), what they execute, and their command lines for messages.
 */
public final class ProcTable {
    private static final Path PROC = Path.of("/proc");

    /** Clock ticks per second of /proc/<pid>/stat's start time: sysconf(_SC_CLK_TCK), 100 on every Linux ABI in use. */
    static final long CLOCK_TICKS = 100;

    /** Bytes of a page, the unit of /proc/<pid>/stat's rss: 4 KiB on x86-64, the one ABI heromgr-spawn is built for. */
    static final long PAGE_SIZE = 4096;

    /**
     * The fields of /proc/<pid>/stat the supervisor uses. startTicks: field 22, clock ticks after boot; cpuTicks:
     * utime + stime (fields 14 and 15); rssPages: field 24.
     */
    public record Stat(char state, long pgid, long session, long startTicks, long cpuTicks, long rssPages) {
        public long cpuUsec() {
            return cpuTicks * (1_000_000 / CLOCK_TICKS);
        }

        public long rssBytes() {
            return rssPages * PAGE_SIZE;
        }

        public boolean running() {
            return state != 'Z' && state != 'X';
        }
    }

    private static volatile long bootTime; // 0 until read: it never changes while the system runs
    /** A process's stat line is ~300 bytes; larger files (cmdline, /proc/stat) grow the buffer. */
    private static final int FIRST_READ = 1024;

    private ProcTable() {
    }

    /** What /proc says about pid, or empty when it does not exist. */
    public static Optional<Stat> stat(long pid) {
        String stat = readStat(PROC.resolve(Long.toString(pid)));
        if (stat == null) return Optional.empty();
        // comm (field 2) may hold spaces and parentheses: fields are counted after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[19]),
                Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[21])));
    }

    /** How long ago a process with this start time started, from /proc/uptime; 0 when unknown. */
    public static long ageNanos(long startTicks) {
        String up = readOrNull(PROC.resolve("uptime"));
        if (up == null) return 0;
        double uptimeSeconds = Double.parseDouble(up.substring(0, up.indexOf(' ')));
        long nanos = (long) (uptimeSeconds * 1e9) - startTicks * (1_000_000_000L / CLOCK_TICKS);
        return Math.max(0, nanos);
    }

    /** When the process started, wall clock: boot time plus its start ticks; empty when it does not exist. */
    public static Optional<Instant> startedAt(long pid) {
        long boot = bootTime();
        if (boot < 0) return Optional.empty();
        return stat(pid).map(s -> Instant.ofEpochSecond(boot).plusMillis(s.startTicks() * (1000 / CLOCK_TICKS)));
    }

    /** btime from /proc/stat: seconds since the epoch at boot; -1 when unreadable. */
    private static long bootTime() {
        long boot = bootTime;
        if (boot != 0) return boot;
        String stat = readOrNull(PROC.resolve("stat"));
        if (stat == null) return -1;
        for (String line : stat.split("\n")) {
            if (line.startsWith("btime ")) return bootTime = Long.parseLong(line.substring(6).trim());
        }
        return -1;
    }

    /** The direct children of pid, from every thread's children file; empty when it is gone. */
    public static List<Long> children(long pid) {
        var out = new ArrayList<Long>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : tasks) {
                String list = readOrNull(task.resolve("children"));
                if (list == null) continue;
                for (String child : list.trim().split(" ")) {
                    if (!child.isEmpty()) out.add(Long.parseLong(child));
                }
            }
        } catch (IOException e) {
            // gone meanwhile: no children to speak of
        }
        return out;
    }

    /** The value of one environment variable of pid, or null (unset, gone, or not ours to read). */
    public static String environment(long pid, String name) {
        try {
            String prefix = name + "=";
            for (String entry : read(PROC.resolve(Long.toString(pid)).resolve("environ")).split("\0")) {
                if (entry.startsWith(prefix)) return entry.substring(prefix.length());
            }
        } catch (IOException e) {
            // gone, or another user's
        }
        return null;
    }

    /** Every pid in /proc. */
    public static List<Long> pids() {
        var out = new ArrayList<Long>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumeric(p.getFileName().toString()))) {
            for (Path dir : dirs) out.add(Long.parseLong(dir.getFileName().toString()));
        } catch (IOException e) {
            // no /proc: nothing to list
        }
        return out;
    }

    /** Whether a process of the group is still running (not a zombie). */
    public static boolean hasLiveMembers(long pgid) {
        // the common case, a group that is entirely gone, costs one kill(2) instead of a read of every process
        if (!PosixSignals.groupAlive(pgid)) return false;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumeric(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                String stat = readStat(dir);
                if (stat == null) continue;
                // comm (field 2) may hold spaces and parentheses: fields are counted after the last ')'
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (f.length > 2 && Long.parseLong(f[2]) == pgid && !f[0].equals("Z") && !f[0].equals("X")) return true;
            }
            return false;
        } catch (IOException e) {
            // without /proc fall back to the signal probe, which errs on the side of "alive"
            return PosixSignals.groupAlive(pgid);
        }
    }

    /** Whether the pid is a process that has not exited (a zombie has). */
    public static boolean running(long pid) {
        String stat = readStat(PROC.resolve(Long.toString(pid)));
        if (stat == null) return false;
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }

    /** The file the process executes, as the kernel resolved it; null when it cannot be read (gone, another user's). */
    public static Path executable(long pid) {
        try {
            String target = Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("exe")).toString();
            // a binary replaced by an install since the process started still names the process's own file
            return Path.of(target.endsWith(" (deleted)") ? target.substring(0, target.length() - " (deleted)".length()) : target);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The command line with its NULs shown as spaces, cut to maxChars; empty when it cannot be read. */
    public static String commandLine(long pid, int maxChars) {
        try {
            String raw = read(PROC.resolve(Long.toString(pid)).resolve("cmdline")).replace('\0', ' ').strip();
            return raw.length() > maxChars ? raw.substring(0, maxChars) + " …" : raw;
        } catch (IOException e) {
            return "";
        }
    }

    /** The process's argv as the kernel keeps it; empty when it cannot be read (gone, a zombie, another user's). */
    public static List<String> arguments(long pid) {
        try {
            String raw = read(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Read to its end: Files.readAllBytes trusts the size procfs reports (0) and has been seen to cut files short. By
     * reads on a channel into a buffer that grows: open, read, read, close, where an input stream's readAllBytes asked
     * for the size and position five more times; this runs after every spawn (the new process's start time).
     */
    public static String read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer buf = ByteBuffer.allocate(FIRST_READ);
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String readStat(Path dir) {
        return readOrNull(dir.resolve("stat"));
    }

    private static String readOrNull(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            return null; // exited while we looked
        }
    }

    public static boolean isNumeric(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) return false;
        }
        return true;
    }
}
