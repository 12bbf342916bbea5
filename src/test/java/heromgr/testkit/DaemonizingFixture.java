package heromgr.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A service whose main process daemonizes a helper the classic way once told to (a file named "go" appears in dir):
 * a child calls setsid and forks the helper, which ignores SIGTERM and writes its pid to dir/grandchild.pid, and the
 * child exits, so the helper is reparented to pid 1: in no process group or tree of the service. Once the helper's pid
 * is written the main process keeps running, or, when mainExit is not null, exits with it once a file named "exit" appears.
 */
public final class DaemonizingFixture {
    private DaemonizingFixture() {
    }

    /** Writes the script into dir; its argv: /bin/sh script dir. */
    public static Path write(Path dir, Integer mainExit) throws IOException {
        Path script = dir.resolve("daemonize.sh");
        String helper = "trap '' TERM; echo $$ > \"$0/grandchild.pid.tmp\"; mv \"$0/grandchild.pid.tmp\" \"$0/grandchild.pid\"; exec sleep 1000";
        String child = "trap '' TERM; /bin/sh -c '" + helper.replace("'", "'\\''") + "' \"$0\" & exit 0";
        Files.writeString(script, String.join("\n",
                "#!/bin/sh",
                "while [ ! -e \"$1/go\" ]; do sleep 0.02; done",
                "setsid /bin/sh -c '" + child.replace("'", "'\\''") + "' \"$1\" &",
                "wait",
                "while [ ! -e \"$1/grandchild.pid\" ]; do sleep 0.02; done",
                "echo daemonized",
                mainExit == null ? "exec sleep 1000" : "while [ ! -e \"$1/exit\" ]; do sleep 0.02; done; exit " + mainExit,
                ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** The helper's pid, or 0 before it wrote it. */
    public static long grandchild(Path dir) throws IOException {
        Path file = dir.resolve("grandchild.pid");
        return Files.exists(file) ? Long.parseLong(Files.readString(file).strip()) : 0;
    }

    /** Field 22 of /proc/pid/stat (start time in clock ticks), or -1 when gone: with the pid, a process's identity. */
    public static long startTicks(long pid) {
        String[] f = ProcFs.stat(pid);
        return f == null ? -1 : Long.parseLong(f[22]);
    }

    /** Whether the process that had this pid and start time no longer runs (gone, a zombie, or the pid reused). */
    public static boolean gone(long pid, long startTicks) {
        return !ProcFs.running(pid) || startTicks(pid) != startTicks;
    }

    /** The parent pid (field 4), or -1 when gone. */
    public static long parent(long pid) {
        String[] f = ProcFs.stat(pid);
        return f == null ? -1 : Long.parseLong(f[4]);
    }
}
