package heromgr.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc says about process groups: kill(-pgid, 0) also counts zombies, which nobody can stop anyway. */
final class ProcTable {
    private static final Path PROC = Path.of("/proc");

    private ProcTable() {
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
        try {
            // streamed: Files.readAllBytes trusts the size procfs reports and has been seen to cut files short
            try (InputStream in = Files.newInputStream(dir.resolve("stat"))) {
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
