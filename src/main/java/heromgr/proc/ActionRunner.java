package heromgr.proc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One action's lifecycle: spawn, notice the exit, restart after the policy's delay, stop with escalation.
 * Every change happens under one lock so a start, a stop, an exit and a restart never interleave;
 * readers only see the immutable snapshot published after each change.
 */
final class ActionRunner {
    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);
    private static final int SIGKILL = 9;
    /** SIGKILL cannot be caught; a process still there after this is stuck in the kernel (D state). */
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);
    private static final Duration GROUP_GRACE = Duration.ofSeconds(1);

    /** What status() reads without taking the lock. */
    record Snapshot(String name, ActionState state, long pid, long startNanos, int restartCount, ExitStatus lastExit, Path logFile) {
        ActionStatus toStatus(long nowNanos) {
            long uptime = pid == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(nowNanos - startNanos);
            return new ActionStatus(name, state, pid, uptime, restartCount, lastExit, logFile);
        }
    }

    private final String service;
    private final ScheduledExecutorService scheduler;
    private final BooleanSupplier restartsAllowed;
    private final Reclaimer reclaimer;
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    private ActionSpec spec;
    private ActionState state = ActionState.STOPPED;
    private Process process;
    private long startNanos;
    private boolean stopRequested;
    private int restartCount;
    private ExitStatus lastExit;
    private ScheduledFuture<?> pendingRestart;
    /** Bumped on every schedule and cancel: a restart task that lost a race with a stop sees a newer token and gives up. */
    private long restartToken;
    /** The last run's pid: helpers it left behind lead no group of their own, but sit in its group and may hold its sockets. */
    private long previousPid;

    private volatile Snapshot snapshot;

    ActionRunner(String service, ActionSpec spec, ScheduledExecutorService scheduler, BooleanSupplier restartsAllowed) {
        this(service, spec, scheduler, restartsAllowed, Reclaimer.standard());
    }

    ActionRunner(String service, ActionSpec spec, ScheduledExecutorService scheduler, BooleanSupplier restartsAllowed,
                 Reclaimer reclaimer) {
        this.service = service;
        this.spec = spec;
        this.scheduler = scheduler;
        this.restartsAllowed = restartsAllowed;
        this.reclaimer = reclaimer;
        publish();
    }

    String name() {
        return snapshot.name();
    }

    Path logFile() {
        return snapshot.logFile();
    }

    ActionStatus status() {
        return snapshot.toStatus(System.nanoTime());
    }

    /** Whether a process runs or is about to (a restart is pending). */
    boolean isLive() {
        return switch (snapshot.state()) {
            case STARTING, RUNNING, STOPPING, BACKOFF -> true;
            case STOPPED, EXITED, FAILED -> false;
        };
    }

    /** Spawns unless a process already runs; the new spec applies to this and every later run. */
    ActionStatus start(ActionSpec newSpec) {
        lock.lock();
        try {
            spec = newSpec;
            if (process != null && process.isAlive()) {
                publish();
                return status();
            }
            if (process != null) {
                // exited, and its waiter has not had the lock yet: record it here, the user's start replaces any restart
                finishRun(process.exitValue(), false);
            }
            cancelRestart();
            restartCount = 0;
            launch();
            return status();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the process group (stop signal, then SIGKILL after the stop timeout) and cancels any pending restart. */
    ActionStatus stop() {
        lock.lock();
        try {
            cancelRestart();
            Process p = process;
            if (p == null) {
                if (state == ActionState.BACKOFF || state == ActionState.STARTING) state = ActionState.STOPPED;
                publish();
                return status();
            }
            long pgid = p.pid();
            if (p.isAlive()) {
                stopRequested = true;
                state = ActionState.STOPPING;
                publish();
                terminate(p, pgid);
            }
            finishRun(p.exitValue(), stopRequested);
            killLeftovers(pgid);
            state = ActionState.STOPPED;
            publish();
            return status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupervisorException("action " + spec.name() + ": interrupted while stopping");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Signals the current run's process group if pid is still that run (the health monitor's liveness kill).
     * Not a stop: the exit that follows is unexpected, so the restart policy applies. False when the run is over.
     */
    boolean signalRun(long pid, int sig) {
        lock.lock();
        try {
            Process p = process;
            if (p == null || p.pid() != pid || !p.isAlive() || stopRequested) return false;
            signal(pid, sig);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void terminate(Process p, long pgid) throws InterruptedException {
        signal(pgid, spec.stopSignal().number());
        if (p.waitFor(spec.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) return;
        log.info("{}/{}: pid {} still running {} ms after SIG{}, sending SIGKILL",
                service, spec.name(), pgid, spec.stopTimeout().toMillis(), spec.stopSignal());
        signal(pgid, SIGKILL);
        p.destroyForcibly(); // in case the process left its group
        if (!p.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            // the waiter will record the exit whenever it comes; stopRequested keeps it from restarting
            throw new SupervisorException("action " + spec.name() + ": pid " + pgid + " did not exit after SIGKILL");
        }
    }

    /** To the group, or to the process alone if it never became a group leader (setsid had not run yet). */
    private static void signal(long pid, int sig) {
        if (!PosixSignals.killGroup(pid, sig)) PosixSignals.kill(pid, sig);
    }

    /** Grandchildren that outlived the main process (daemonized helpers, background jobs) go with it. */
    private void killLeftovers(long pgid) throws InterruptedException {
        if (!ProcTable.hasLiveMembers(pgid)) return;
        PosixSignals.killGroup(pgid, SIGKILL);
        long deadline = System.nanoTime() + GROUP_GRACE.toNanos();
        // SIGKILL takes effect asynchronously; there is no handle to wait on for processes that are not our children
        while (ProcTable.hasLiveMembers(pgid) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private void launch() {
        state = ActionState.STARTING;
        publish();
        Process p;
        try {
            reclaimer.reclaim(service, spec, previousPid == 0 ? java.util.Set.of() : java.util.Set.of(previousPid));
            p = Spawner.spawn(spec);
        } catch (SupervisorException e) {
            state = ActionState.FAILED;
            publish();
            throw e;
        }
        process = p;
        previousPid = p.pid();
        stopRequested = false;
        startNanos = System.nanoTime();
        state = ActionState.RUNNING;
        publish();
        Thread.ofVirtual().name("exit-" + service + "/" + spec.name() + "-" + p.pid()).start(() -> awaitExit(p));
    }

    private void awaitExit(Process p) {
        int code;
        while (true) {
            try {
                code = p.waitFor();
                break;
            } catch (InterruptedException e) {
                // nobody interrupts waiters on purpose; losing the exit would leave the action RUNNING forever
            }
        }
        onExit(p, code);
    }

    private void onExit(Process p, int code) {
        lock.lock();
        try {
            if (p != process) return; // a stop or start already recorded this run
            ExitStatus exit = finishRun(code, stopRequested);
            if (exit.requested()) {
                state = ActionState.STOPPED;
            } else if (restartsAllowed.getAsBoolean() && restartsAfter(exit)) {
                state = ActionState.BACKOFF;
                scheduleRestart();
            } else {
                state = exit.success() ? ActionState.EXITED : ActionState.FAILED;
            }
            publish();
            if (!exit.success() && !exit.requested()) {
                log.warn("{}/{}: pid {} {}{}", service, spec.name(), p.pid(), exit.describe(),
                        state == ActionState.BACKOFF ? ", restarting in " + spec.restart().delay().toMillis() + " ms" : "");
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean restartsAfter(ExitStatus exit) {
        return switch (spec.kind()) {
            case PROCESS -> spec.restart().restartsAfter(exit);
            // a one-shot that succeeded is done; "always" cannot mean running it in a loop
            case ONESHOT -> !exit.success() && spec.restart().mode() != RestartPolicy.Mode.NEVER;
        };
    }

    private void scheduleRestart() {
        long token = ++restartToken;
        try {
            // the task only hands off: taking our lock on the scheduler thread could stall every other restart behind a slow stop
            pendingRestart = scheduler.schedule(() -> Thread.ofVirtual().start(() -> restartIfStillDue(token)),
                    spec.restart().delay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            state = ActionState.FAILED; // supervisor closing
        }
    }

    private void restartIfStillDue(long token) {
        lock.lock();
        try {
            if (token != restartToken || state != ActionState.BACKOFF) return;
            pendingRestart = null;
            restartCount++;
            launch();
        } catch (SupervisorException e) {
            log.error("{}/{}: restart failed: {}", service, spec.name(), e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private void cancelRestart() {
        restartToken++;
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }

    private ExitStatus finishRun(int code, boolean requested) {
        // Java reports death by signal N as 128 + N, the way a shell does
        int signal = code > 128 && code <= 128 + 64 ? code - 128 : 0;
        lastExit = new ExitStatus(code, signal, Instant.now(), requested);
        process = null;
        return lastExit;
    }

    private void publish() {
        Process p = process;
        snapshot = new Snapshot(spec.name(), state, p == null ? 0 : p.pid(), startNanos, restartCount, lastExit, spec.logFile());
    }
}
