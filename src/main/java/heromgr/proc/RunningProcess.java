package heromgr.proc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * A process an action runs: one this supervisor spawned (our child: its exit code is known) or one it adopted
 * after a daemon restart (not our child: only the fact that it ended can be known).
 */
sealed interface RunningProcess permits RunningProcess.Child, RunningProcess.Adopted {
    long pid();

    /** The process group to signal (the pid itself: every action leads its own group). */
    long pgid();

    /** Field 22 of /proc/pid/stat: with the pid, the identity that survives a daemon restart. */
    long startTicks();

    boolean isAlive();

    /** True once the process has exited, false when the timeout passed first. */
    boolean waitFor(Duration timeout) throws InterruptedException;

    /** The exit code of an exited process; {@link ExitStatus#UNKNOWN} when it cannot be known. */
    int exitValue();

    /** SIGKILL to the main process itself, in case it left its group. */
    void destroyForcibly();

    /** Calls onExit with the exit code once the process has ended, from a thread of its own. */
    void watch(String threadName, IntConsumer onExit);

    /** Stops watching (the supervisor is closing); the process keeps running. */
    void release();

    /** A child of this JVM: Process.waitFor parks a virtual thread cheaply and reaps the child. */
    record Child(Process process, long startTicks) implements RunningProcess {
        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public long pgid() {
            return process.pid();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int exitValue() {
            return process.exitValue();
        }

        @Override
        public void destroyForcibly() {
            process.destroyForcibly();
        }

        @Override
        public void watch(String threadName, IntConsumer onExit) {
            Thread.ofVirtual().name(threadName).start(() -> {
                while (true) {
                    try {
                        onExit.accept(process.waitFor());
                        return;
                    } catch (InterruptedException e) {
                        // nobody interrupts waiters on purpose; losing the exit would leave the action RUNNING forever
                    }
                }
            });
        }

        @Override
        public void release() {
            // the waiter ends with the process; it holds nothing but a parked virtual thread
        }
    }

    /**
     * A process found alive after a daemon restart, held by a pidfd: its exit is noticed the moment it happens and
     * signals reach exactly it, never a process that later got the same pid. Watched by a platform thread, since
     * poll(2) is a native call that would pin a virtual thread's carrier for the process's whole life.
     */
    final class Adopted implements RunningProcess {
        /** How often the watcher looks up from poll to see whether it was released. */
        private static final int POLL_SLICE_MS = 500;

        private final long pid;
        private final long pgid;
        private final long startTicks;
        private final CompletableFuture<Void> exited = new CompletableFuture<>();
        private final Object fdLock = new Object();
        private int fd; // guarded by fdLock; -1 once closed, so a recycled descriptor number is never signalled
        private volatile boolean released;

        Adopted(long pid, long pgid, long startTicks, int fd) {
            this.pid = pid;
            this.pgid = pgid;
            this.startTicks = startTicks;
            this.fd = fd;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public long pgid() {
            return pgid;
        }

        @Override
        public long startTicks() {
            return startTicks;
        }

        @Override
        public boolean isAlive() {
            if (exited.isDone()) return false;
            synchronized (fdLock) {
                return fd >= 0 && !PidFd.awaitExit(fd, 0);
            }
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            try {
                exited.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int exitValue() {
            return ExitStatus.UNKNOWN;
        }

        @Override
        public void destroyForcibly() {
            synchronized (fdLock) {
                if (fd >= 0) PidFd.sendSignal(fd, 9);
            }
        }

        @Override
        public void watch(String threadName, IntConsumer onExit) {
            Thread.ofPlatform().daemon().name(threadName).start(() -> {
                try {
                    while (!released) {
                        if (PidFd.awaitExit(fd, POLL_SLICE_MS)) {
                            exited.complete(null);
                            onExit.accept(ExitStatus.UNKNOWN);
                            return;
                        }
                    }
                } finally {
                    closeFd();
                }
            });
        }

        @Override
        public void release() {
            released = true;
        }

        private void closeFd() {
            synchronized (fdLock) {
                if (fd >= 0) PidFd.close(fd);
                fd = -1;
            }
        }
    }
}
