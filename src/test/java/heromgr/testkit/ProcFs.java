package heromgr.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test-side reading of /proc, independent of the code under test. */
public final class ProcFs {
    private ProcFs() {
    }

    /** Fields of /proc/pid/stat counted from 1 as in proc(5), or null when the process is gone. */
    public static String[] stat(long pid) {
        try {
            String s = read(Path.of("/proc", Long.toString(pid), "stat"));
            int close = s.lastIndexOf(')');
            String[] rest = s.substring(close + 2).trim().split(" ");
            String[] f = new String[rest.length + 3];
            f[1] = s.substring(0, s.indexOf(' '));
            f[2] = s.substring(s.indexOf('(') + 1, close);
            System.arraycopy(rest, 0, f, 3, rest.length);
            return f;
        } catch (IOException e) {
            return null;
        }
    }

    /** Streamed: Files.readAllBytes/readString cut some procfs files short on this kernel (pid_max read as "3"). */
    public static String read(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    public static long pgid(long pid) {
        String[] f = stat(pid);
        return f == null ? -1 : Long.parseLong(f[5]);
    }

    /** Whether the pid is a process that still runs (a zombie does not count). */
    public static boolean running(long pid) {
        String[] f = stat(pid);
        return f != null && !f[3].equals("Z") && !f[3].equals("X");
    }

    /** Non-zombie processes in the group. This sandbox's init does not reap orphans, so zombies linger. */
    public static List<Long> liveMembers(long pgid) {
        var out = new ArrayList<Long>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                long pid = Long.parseLong(name);
                String[] f = stat(pid);
                if (f != null && Long.parseLong(f[5]) == pgid && !f[3].equals("Z") && !f[3].equals("X")) out.add(pid);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
