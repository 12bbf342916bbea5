package heromgr.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What /proc says about process groups: kill(-pgid, 0) also counts zombies, which nobody can stop anyway. */
final class ProcTable {
    private static final Path PROC = Path.of("/proc");

    /** Clock ticks per second of /proc/<pid>/stat's start time: sysconf(_SC_CLK_TCK), 100 on every Linux ABI in use. */
    static final long CLOCK_TICKS = 100;

    /** The fields of /proc/<pid>/stat the supervisor uses. startTicks: field 22, clock ticks after boot. */
    record Stat(char state, long pgid, long startTicks) {
        boolean running() {
            return state != 'Z' && state != 'X';
        }
    }

    private ProcTable() {
    }

    /** What /proc says about pid, or empty when it does not exist. */
    static Optional<Stat> stat(long pid) {
        String stat = readStat(PROC.resolve(Long.toString(pid)));
        if (stat == null) return Optional.empty();
        // comm (field 2) may hold spaces and parentheses: fields are counted after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[19])));
    }

    /** How long ago a process with this start time started, from /proc/uptime; 0 when unknown. */
    static long ageNanos(long startTicks) {
        String up = read(PROC.resolve("uptime"));
        if (up == null) return 0;
        double uptimeSeconds = Double.parseDouble(up.substring(0, up.indexOf(' ')));
        long nanos = (long) (uptimeSeconds * 1e9) - startTicks * (1_000_000_000L / CLOCK_TICKS);
        return Math.max(0, nanos);
    }

    /** Whether a process of the group is still running (not a zombie). */
    static boolean hasLiveMembers(long pgid) {
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

    private static String readStat(Path dir) {
        return read(dir.resolve("stat"));
    }

    private static String read(Path file) {
        try {
            // streamed: Files.readAllBytes trusts the size procfs reports and has been seen to cut files short
            try (InputStream in = Files.newInputStream(file)) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        } catch (IOException e) {
            return null; // exited while we looked
        }
    }

    private static boolean isNumeric(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) return false;
        }
        return true;
    }
}
