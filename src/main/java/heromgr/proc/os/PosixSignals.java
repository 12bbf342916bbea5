package heromgr.proc.os;

import heromgr.proc.Signal;
import heromgr.proc.SupervisorException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * kill(2) through the FFM API. Java can only signal its own children with TERM/KILL and never a whole
 * process group, which a supervisor needs to reach the grandchildren of a service.
 */
public final class PosixSignals {
    private static final int ESRCH = 3;
    private static final int EPERM = 1;
    private static final int MAX_SIGNAL = 64;

    private static final MethodHandle KILL = Libc.downcall("kill",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle GETPGRP = Libc.downcall("getpgrp", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle GETPGID = Libc.downcall("getpgid", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));


    private PosixSignals() {
    }

    /** Sends sig to one process. True when delivered, false when there is no such process. */
    public static boolean kill(long pid, Signal sig) {
        return kill(pid, sig.number());
    }

    /**
     * Sends sig (0 only checks existence) to one process. pid must be positive: kill(2) reads 0 and
     * negative pids as "a whole group" or "everyone", which must never happen by accident.
     */
    public static boolean kill(long pid, int sig) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) throw new IllegalArgumentException("not a process id: " + pid);
        return rawKill((int) pid, sig);
    }

    /** Sends sig to every process of the group. False when the group has no members left. */
    public static boolean killGroup(long pgid, int sig) {
        // pgid 1 would become kill(-1), i.e. every process we may signal; our own group would take down the daemon.
        if (pgid <= 1 || pgid > Integer.MAX_VALUE) throw new IllegalArgumentException("not a process group id: " + pgid);
        if (pgid == ownGroup()) throw new IllegalArgumentException("refusing to signal the daemon's own process group " + pgid);
        return rawKill((int) -pgid, sig);
    }

    /** Whether any process (zombies included) is still in the group. */
    public static boolean groupAlive(long pgid) {
        return killGroup(pgid, 0);
    }

    /** The process group of pid, or -1 when there is no such process. */
    public static long groupOf(long pid) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) throw new IllegalArgumentException("not a process id: " + pid);
        try {
            return (int) GETPGID.invokeExact((int) pid);
        } catch (Throwable t) {
            throw new IllegalStateException("getpgid failed", t);
        }
    }

    private static long ownGroup() {
        try {
            return (int) GETPGRP.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getpgrp failed", t);
        }
    }

    private static boolean rawKill(int target, int sig) {
        if (sig < 0 || sig > MAX_SIGNAL) throw new IllegalArgumentException("not a signal number: " + sig);
        int rc;
        int errno;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            try {
                rc = (int) KILL.invokeExact(state, target, sig);
            } catch (Throwable t) {
                throw new IllegalStateException("kill downcall failed", t);
            }
            errno = rc == 0 ? 0 : (int) Libc.ERRNO.get(state, 0L);
        }
        if (rc == 0) return true;
        if (errno == ESRCH) return false;
        String what = target < 0 ? "process group " + -target : "pid " + target;
        String why = errno == EPERM ? "EPERM, not permitted" : "errno " + errno;
        throw new SupervisorException("cannot send signal " + sig + " to " + what + ": " + why);
    }
}
