package heromgr.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test-side reading of /proc, independent of the code under test. Zombies do not count as live. */
public final class LiveProcesses {
    private LiveProcesses() {
    }

    /** Alive and not a zombie. */
    public static boolean alive(long pid) {
        try {
            String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The live processes with an environment variable whose "NAME=value" starts with prefix. Processes whose environment
     * this user may not read are passed over.
     */
    public static List<Long> withEnvironmentEntry(String prefix) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (hasEntry(dir.resolve("environ"), prefix) && alive(pid)) out.add(pid);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return out;
    }

    private static boolean hasEntry(Path environ, String prefix) {
        try {
            for (String entry : read(environ).split("\0")) {
                if (entry.startsWith(prefix)) return true;
            }
            return false;
        } catch (IOException goneOrNotOurs) {
            return false;
        }
    }

    /** Streamed: Files.readString cuts some procfs files short. */
    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
