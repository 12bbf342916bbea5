package heromgr.proc.os;

import heromgr.proc.ExitStatus;
import heromgr.proc.SupervisorException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Process file descriptors (Linux ≥ 5.3): the only way to wait for the exit of a process that is not our child
 * without polling /proc, and to signal exactly that process even if its pid were recycled meanwhile.
 * Syscall numbers 434 (pidfd_open) and 424 (pidfd_send_signal) are the same on every Linux architecture.
 */
public final class PidFd {
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    private static final short POLLIN = 1;
    private static final int EINTR = 4;

    private static final MethodHandle SYSCALL2 = Libc.downcall("syscall",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    private static final MethodHandle SYSCALL4 = Libc.downcall("syscall",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    private static final MethodHandle POLL = Libc.downcall("poll",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle WAITID = Libc.downcall("waitid",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));


    private PidFd() {
    }

    /** A pidfd for pid, or -1 when there is no such process (or the kernel has no pidfds). */
    public static int open(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            long fd = (long) SYSCALL2.invokeExact(state, SYS_PIDFD_OPEN, pid, 0L);
            return (int) fd;
        } catch (Throwable t) {
            throw new IllegalStateException("pidfd_open failed", t);
        }
    }

    /**
     * Blocks up to timeoutMs (on a platform thread: a native call pins a virtual thread's carrier).
     * True once the process has exited (a zombie counts: it no longer runs).
     */
    public static boolean awaitExit(int fd, int timeoutMs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
            pollfd.set(ValueLayout.JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            int rc = (int) POLL.invokeExact(state, pollfd, 1L, timeoutMs);
            if (rc < 0) {
                int errno = (int) Libc.ERRNO.get(state, 0L);
                if (errno == EINTR) return false;
                throw new SupervisorException("poll on pidfd " + fd + " failed: errno " + errno);
            }
            return rc > 0 && pollfd.get(ValueLayout.JAVA_SHORT, 6) != 0;
        } catch (SupervisorException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("poll failed", t);
        }
    }

    /** Signals the process the fd refers to. False when it has already exited. */
    public static boolean sendSignal(int fd, int sig) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            long rc = (long) SYSCALL4.invokeExact(state, SYS_PIDFD_SEND_SIGNAL, (long) fd, (long) sig, 0L, 0L);
            return rc == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("pidfd_send_signal failed", t);
        }
    }

    private static final int P_PIDFD = 3;
    private static final int WEXITED = 4;
    private static final int CLD_EXITED = 1;
    /** siginfo_t is 128 bytes; for SIGCHLD, si_code sits at 8 and si_status at 24 on every 64-bit Linux ABI. */
    private static final long SIGINFO_BYTES = 128;

    /**
     * Collects the exit status of an exited child (waitid on the pidfd, Linux ≥ 5.4), the way Java reports it:
     * the exit code, or 128 + N for death by signal N. {@link ExitStatus#UNKNOWN} for a process that is not our child
     * (one adopted from an earlier daemon): only its parent learns how it ended.
     */
    public static int reap(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_BYTES, 8);
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            int rc;
            do {
                // blocking, but only called once the pidfd reported the exit: a child is a zombie by then and returns at once
                rc = (int) WAITID.invokeExact(state, P_PIDFD, fd, info, WEXITED);
            } while (rc < 0 && (int) Libc.ERRNO.get(state, 0L) == EINTR);
            // not our child (ECHILD): unknown
            if (rc < 0 || info.get(ValueLayout.JAVA_INT, 16) == 0) return ExitStatus.UNKNOWN;
            int status = info.get(ValueLayout.JAVA_INT, 24);
            return info.get(ValueLayout.JAVA_INT, 8) == CLD_EXITED ? status : 128 + status;
        } catch (Throwable t) {
            throw new IllegalStateException("waitid failed", t);
        }
    }

    public static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close failed", t);
        }
    }
}
