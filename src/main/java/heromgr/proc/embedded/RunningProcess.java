package heromgr.proc.embedded;

import heromgr.proc.ExitStatus;
import heromgr.proc.SupervisorException;
import heromgr.proc.os.ExitWatcher;
import heromgr.proc.os.PidFd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * A process an action runs, held by a pidfd: one this supervisor spawned, or one it adopted after a daemon restart.
 * The shared {@link ExitWatcher} notices its exit the moment it happens; signals through the pidfd reach exactly it,
 * never a process that later got the same pid. A spawned process is our child, and the watcher reaps it and
 * learns its exit code; an adopted one is not, and only the fact that it ended can be known.
 */
final class RunningProcess {
    /** How long exitValue() waits for the watcher to reap a process that was seen to have exited. */
    private static final Duration REAP_WAIT = Duration.ofSeconds(2);

    private final long pid;
    private final long pgid;
    private final long startTicks;
    private final boolean adopted;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private final Object fdLock = new Object();
    private int fd; // guarded by fdLock; -1 once closed, so a recycled descriptor number is never signalled
    private ExitWatcher.Registration registration; // guarded by fdLock
    private volatile boolean released;

    private RunningProcess(long pid, long pgid, long startTicks, int fd, boolean adopted) {
        this.pid = pid;
        this.pgid = pgid;
        this.startTicks = startTicks;
        this.fd = fd;
        this.adopted = adopted;
    }

    /** Our child, just spawned as the leader of its own session and group. */
    static RunningProcess spawned(long pid, long startTicks) {
        int fd = PidFd.open(pid);
        // our unreaped child cannot be gone: only a kernel without pidfds (< 5.3) gets here
        if (fd < 0) throw new SupervisorException("pidfd_open(" + pid + ") failed: Linux 5.3 or newer is required");
        return new RunningProcess(pid, pid, startTicks, fd, false);
    }

    /** A process an earlier daemon started, found alive and verified as the same process (pid and start time). */
    static RunningProcess adopted(long pid, long pgid, long startTicks, int fd) {
        return new RunningProcess(pid, pgid, startTicks, fd, true);
    }

    long pid() {
        return pid;
    }

    /** The process group to signal (the pid itself: every action leads its own group). */
    long pgid() {
        return pgid;
    }

    /** Field 22 of /proc/pid/stat: with the pid, the identity that survives a daemon restart. */
    long startTicks() {
        return startTicks;
    }

    boolean adopted() {
        return adopted;
    }

    boolean isAlive() {
        if (exited.isDone()) return false;
        synchronized (fdLock) {
            return fd >= 0 && !PidFd.awaitExit(fd, 0);
        }
    }

    /** The exit was noticed (and, for our child, reaped). */
    boolean hasExited() {
        return exited.isDone();
    }

    /** True once the process has exited (and, for our child, been reaped), false when the timeout passed first. */
    boolean waitFor(Duration timeout) throws InterruptedException {
        try {
            exited.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The exit code of an exited process (128 + N for signal N); {@link ExitStatus#UNKNOWN} when it cannot be known. */
    int exitValue() {
        if (!released && !exited.isDone()) {
            try {
                waitFor(REAP_WAIT); // the exit was seen; the watcher is reaping it right now
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return exited.getNow(ExitStatus.UNKNOWN);
    }

    /** SIGKILL to the main process itself, in case it left its group. */
    void destroyForcibly() {
        synchronized (fdLock) {
            if (fd >= 0) PidFd.sendSignal(fd, 9);
        }
    }

    /**
     * Once the process has ended, reaps it and calls onExit with the exit code, on the thread that noticed the exit
     * (named threadName meanwhile; see {@link ExitWatcher}).
     */
    void watch(String threadName, IntConsumer onExit) {
        synchronized (fdLock) {
            if (fd < 0) return;
            registration = ExitWatcher.SHARED.watch(fd, threadName, () -> {
                int code;
                synchronized (fdLock) {
                    // reaped under the lock: once the pid may be recycled, the fd is closed and nothing signals it
                    code = PidFd.reap(fd);
                    closeFd();
                }
                exited.complete(code);
                onExit.accept(code);
            });
        }
    }

    /** Stops watching (the supervisor is closing); the process keeps running. */
    void release() {
        released = true;
        synchronized (fdLock) {
            if (registration != null && ExitWatcher.SHARED.cancel(registration)) closeFd();
        }
    }

    private void closeFd() {
        if (fd >= 0) PidFd.close(fd);
        fd = -1;
    }
}
