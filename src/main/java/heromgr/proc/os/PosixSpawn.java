package heromgr.proc.os;

import heromgr.fs.LogFiles;
import heromgr.proc.SupervisorException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * glibc's posix_spawn(3) through the FFM API: one vfork-style clone and one exec, in a new session, with stdin
 * from /dev/null and stdout+stderr appended to the log file. {@code ProcessBuilder} costs an extra exec
 * (jspawnhelper) and cannot start a session, which took a third exec (setsid(1)) and a wait for it: together
 * 3-4 times the cost of the spawn itself. posix_spawn returns after the exec succeeded or with the exec's errno,
 * so the new process already leads its own group when this returns.
 */
public final class PosixSpawn {
    private static final int POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int POSIX_SPAWN_SETSID = 0x80;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    private static final int LOG_MODE = 0644;
    /** As a log: both streams discarded (there is no stderr file beside it). */
    public static final Path DISCARD = Path.of("/dev/null");
    /** Upper bounds of glibc's posix_spawn_file_actions_t (80 bytes), posix_spawnattr_t (336) and sigset_t (128). */
    private static final long OPAQUE_BYTES = 512;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final MemorySegment NULL = MemorySegment.NULL;

    private static final MethodHandle SPAWN = Libc.downcall("posix_spawn", FunctionDescriptor.of(INT, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle FA_INIT = Libc.downcall("posix_spawn_file_actions_init", FunctionDescriptor.of(INT, ValueLayout.ADDRESS));
    private static final MethodHandle FA_DESTROY = Libc.downcall("posix_spawn_file_actions_destroy", FunctionDescriptor.of(INT, ValueLayout.ADDRESS));
    private static final MethodHandle FA_OPEN = Libc.downcall("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT, ValueLayout.ADDRESS, INT, INT));
    private static final MethodHandle FA_DUP2 = Libc.downcall("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT, INT));
    private static final MethodHandle FA_CHDIR = Libc.downcall("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle FA_CLOSEFROM = Libc.downcall("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle ATTR_INIT = Libc.downcall("posix_spawnattr_init", FunctionDescriptor.of(INT, ValueLayout.ADDRESS));
    private static final MethodHandle ATTR_FLAGS = Libc.downcall("posix_spawnattr_setflags", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, ValueLayout.JAVA_SHORT));
    private static final MethodHandle ATTR_SIGMASK = Libc.downcall("posix_spawnattr_setsigmask", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle ATTR_SIGDEFAULT = Libc.downcall("posix_spawnattr_setsigdefault", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle SIGEMPTYSET = Libc.downcall("sigemptyset", FunctionDescriptor.of(INT, ValueLayout.ADDRESS));
    private static final MethodHandle SIGFILLSET = Libc.downcall("sigfillset", FunctionDescriptor.of(INT, ValueLayout.ADDRESS));
    private static final MethodHandle STRERROR = Libc.downcall("strerror", FunctionDescriptor.of(ValueLayout.ADDRESS, INT));


    private PosixSpawn() {
    }

    /**
     * What to run: program is the file to exec (already resolved), argv[0] included in argv, env the whole environment.
     * reportFd: a descriptor of the daemon's handed to the child as its fd 3 (-1: the child gets fds 0-2 only).
     */
    public record Request(Path program, List<String> argv, Map<String, String> env, Path workDir, Path logFile, int reportFd) {
        public Request(Path program, List<String> argv, Map<String, String> env, Path workDir, Path logFile) {
            this(program, argv, env, workDir, logFile, -1);
        }

        /** Where stderr goes: the file beside the log. */
        public Path stderrFile() {
            return logFile.equals(DISCARD) ? DISCARD : LogFiles.stderrOf(logFile);
        }
    }

    /** The new process's pid; a failure to exec (or to open the log, or to enter the work dir) throws with its reason. */
    public static long spawn(Request r) {
        return run(r, true);
    }

    /** Everything spawn does but the posix_spawn itself, so a cold daemon's first spawn finds its native calls linked. */
    public static void rehearse(Request r) {
        run(r, false);
    }

    private static long run(Request r, boolean spawn) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(OPAQUE_BYTES, 16);
            MemorySegment attr = SharedAttributes.ATTR;
            MemorySegment pid = arena.allocate(INT);
            check((int) FA_INIT.invokeExact(actions), "posix_spawn_file_actions_init");
            try {
                fileActions(arena, actions, r);
                MemorySegment program = arena.allocateFrom(r.program().toString());
                MemorySegment argv = cStrings(arena, r.argv());
                MemorySegment env = cStrings(arena, r.env());
                if (!spawn) return 0;
                int rc = (int) SPAWN.invokeExact(pid, program, actions, attr, argv, env);
                if (rc != 0) throw new SupervisorException("cannot start " + r.argv().getFirst() + ": " + describe(rc));
                return pid.get(INT, 0);
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(actions);
            }
        } catch (SupervisorException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("posix_spawn downcall failed", t);
        }
    }

    /**
     * stdin /dev/null; stdout appended to the log and stderr to the file beside it (the kernel appends: no byte
     * passes through the daemon, and the two streams stay apart without a pipe).
     */
    private static void fileActions(Arena arena, MemorySegment actions, Request r) throws Throwable {
        check((int) FA_OPEN.invokeExact(actions, 0, arena.allocateFrom("/dev/null"), O_RDONLY, 0), "addopen stdin");
        check((int) FA_OPEN.invokeExact(actions, 1, arena.allocateFrom(r.logFile().toString()), O_WRONLY | O_CREAT | O_APPEND, LOG_MODE),
                "addopen log");
        check((int) FA_OPEN.invokeExact(actions, 2, arena.allocateFrom(r.stderrFile().toString()), O_WRONLY | O_CREAT | O_APPEND, LOG_MODE),
                "addopen stderr log");
        if (r.reportFd() >= 0) check((int) FA_DUP2.invokeExact(actions, r.reportFd(), 3), "adddup2 report");
        // the JVM's own descriptors (sockets, jars, the state file) are not all close-on-exec
        check((int) FA_CLOSEFROM.invokeExact(actions, r.reportFd() >= 0 ? 4 : 3), "addclosefrom");
        check((int) FA_CHDIR.invokeExact(actions, arena.allocateFrom(r.workDir().toString())), "addchdir");
    }

    /**
     * The attributes are the same for every spawn, so they are made once and shared: posix_spawn only reads them. A
     * restart's path runs mostly interpreted (it is not hot), and each downcall set up there costs it time.
     */
    private static final class SharedAttributes {
        static final MemorySegment ATTR = make();

        private static MemorySegment make() {
            try {
                MemorySegment attr = Arena.global().allocate(OPAQUE_BYTES, 16);
                check((int) ATTR_INIT.invokeExact(attr), "posix_spawnattr_init");
                attributes(Arena.global(), attr);
                return attr;
            } catch (SupervisorException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("posix_spawnattr downcall failed", t);
            }
        }
    }

    /** A new session (pgid == sid == pid), no blocked signals, every signal's disposition back to default (the JVM ignores some). */
    private static void attributes(Arena arena, MemorySegment attr) throws Throwable {
        MemorySegment none = arena.allocate(OPAQUE_BYTES / 4, 8);
        MemorySegment all = arena.allocate(OPAQUE_BYTES / 4, 8);
        check((int) SIGEMPTYSET.invokeExact(none), "sigemptyset");
        check((int) SIGFILLSET.invokeExact(all), "sigfillset");
        check((int) ATTR_SIGMASK.invokeExact(attr, none), "setsigmask");
        check((int) ATTR_SIGDEFAULT.invokeExact(attr, all), "setsigdefault");
        check((int) ATTR_FLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)), "setflags");
    }

    private static MemorySegment cStrings(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(strings.get(i)));
        array.setAtIndex(ValueLayout.ADDRESS, strings.size(), NULL);
        return array;
    }

    private static MemorySegment cStrings(Arena arena, Map<String, String> env) {
        return cStrings(arena, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static void check(int rc, String what) {
        // these return an errno (not -1): only ENOMEM is possible
        if (rc != 0) throw new SupervisorException("posix_spawn set-up (" + what + ") failed: " + describe(rc));
    }

    @SuppressWarnings("restricted")
    public static String describe(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
