package heromgr.proc.embedded;

import heromgr.proc.ActionKind;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.ExitStatus;
import heromgr.proc.RestartPolicy;
import heromgr.proc.SupervisorException;
import heromgr.proc.cgroup.Containment;
import heromgr.proc.health.MonitoredAction;
import heromgr.proc.os.ExitWatcher;
import heromgr.proc.os.ProcTable;
import heromgr.proc.reclaim.Reclaimer;
import heromgr.proc.state.RuntimeState;
import heromgr.proc.state.SavedAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One action's lifecycle: spawn, notice the exit, restart by the policy's backoff, stop with escalation.
 * Every change happens under one lock so a start, a stop, an exit and a restart never interleave;
 * readers only see the immutable snapshot published after each change, and each publish tells the state store.
 */
final class ActionRunner implements MonitoredAction, SavedAction {
    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);

    private final String service;
    private final BooleanSupplier restartsAllowed;
    private final Reclaimer reclaimer;
    private final Containment containment;
    private final ChangeFeed feed;
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    private ActionSpec spec;
    private ActionState state = ActionState.STOPPED;
    private RunningProcess process;
    private long startNanos;
    private boolean stopRequested;
    /** The health monitor signalled the current run for failing its liveness check. */
    private boolean livenessKilled;
    private final Backoff backoff = new Backoff();
    private final RunHistory history = new RunHistory();
    private final RestartTimer restartTimer;

    private volatile RunSnapshot snapshot;
    /**
     * The run a stop is ending (set and cleared under the lock): the stop records its exit itself, so the exit's handler
     * returns at once instead of queueing for the lock the stop holds. A stop of 1000 otherwise parked up to 1000
     * handler threads (platform threads, made on demand) on 1000 runner locks.
     */
    private volatile RunningProcess stopping;
    private final ExitWarnings exitWarnings = new ExitWarnings();
    private final SpawnEnvironment environment; // guarded by lock

    /**
     * @param owner       identifies the supervisor's state file in the marker of every spawn; null: no marker
     * @param containment holds every process of the action's runs (its cgroup), or None
     * @param stateChanged told of changes (the state file's writer; see {@link ChangeFeed})
     * @param changed      told of every change, in order (the event listeners)
     */
    ActionRunner(String service, ActionSpec spec, ScheduledExecutorService scheduler, BooleanSupplier restartsAllowed,
                 Reclaimer reclaimer, String owner, Containment containment, Runnable stateChanged, Consumer<RunSnapshot> changed) {
        this.service = service;
        this.spec = spec;
        this.restartTimer = new RestartTimer(scheduler);
        this.restartsAllowed = restartsAllowed;
        this.reclaimer = reclaimer;
        this.environment = new SpawnEnvironment(owner, service);
        this.containment = containment;
        this.feed = new ChangeFeed(stateChanged, changed);
        publish();
    }

    String name() {
        return snapshot.spec().name();
    }

    Path logFile() {
        return snapshot.spec().logFile();
    }

    @Override
    public ActionStatus status() {
        return snapshot.toStatus(System.nanoTime());
    }

    @Override
    public RunSnapshot snapshot() {
        return snapshot;
    }

    /** Whether a process runs or is about to (a restart is pending). */
    @Override
    public boolean isLive() {
        return switch (snapshot.state()) {
            case STARTING, RUNNING, STOPPING, BACKOFF -> true;
            case STOPPED, EXITED, FAILED -> false;
        };
    }

    /**
     * Spawns unless a process already runs; the new spec applies to this and every later run. Clears FAILED and the
     * counters. checked: the new spec as the caller already checked it, or null to check it here.
     */
    ActionStatus start(ActionSpec newSpec, Spawner.Checked checked) {
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
            restartTimer.cancel();
            history.reset();
            backoff.reset();
            launch(checked);
            return status();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the process group and cgroup (stop signal, then SIGKILL after the stop timeout); cancels any pending restart. */
    ActionStatus stop() {
        lock.lock();
        try {
            restartTimer.cancel();
            RunningProcess p = process;
            if (p == null) {
                if (state == ActionState.BACKOFF || state == ActionState.STARTING) state = ActionState.STOPPED;
                containment.remove();
                publish();
                return status();
            }
            long pgid = p.pgid();
            if (p.isAlive()) {
                stopRequested = true;
                state = ActionState.STOPPING;
                publish();
                stopping = p;
                try {
                    GroupStop.terminate(service, spec, p, containment);
                } finally {
                    stopping = null;
                }
            }
            finishRun(p.exitValue(), stopRequested);
            GroupStop.killLeftovers(pgid);
            containment.remove();
            environment.forget();
            state = ActionState.STOPPED;
            publish();
            return status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupervisorException("action " + spec.name() + ": interrupted while stopping");
        } finally {
            recordSkippedExit();
            lock.unlock();
        }
    }

    /**
     * A stop that failed (interrupted, or no exit after SIGKILL) while the exit's handler saw it stopping and left the
     * exit to it: recorded here, as the handler would have. Under the lock; a handler that comes later finds it recorded.
     */
    private void recordSkippedExit() {
        RunningProcess p = process;
        if (p == null || !p.hasExited()) return;
        finishRun(p.exitValue(), stopRequested);
        state = ActionState.STOPPED;
        publish();
    }

    /**
     * Signals the current run's process group if pid is still that run (the health monitor's liveness kill).
     * Not a stop: the exit that follows is unexpected, so the restart policy applies. False when the run is over.
     */
    @Override
    public boolean signalRun(long pid, int sig) {
        lock.lock();
        try {
            RunningProcess p = process;
            if (p == null || p.pid() != pid || !p.isAlive() || stopRequested) return false;
            GroupStop.signal(pid, sig);
            livenessKilled = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes over a process found alive after a daemon restart: RUNNING with its pid, no new spawn. One the previous
     * daemon was stopping when it died is stopped again (signal, timeout, SIGKILL) on another thread: the user asked
     * for a stop, and a process that ignores its stop signal would otherwise be adopted as running.
     */
    void adopt(RuntimeState.Action saved, RunningProcess p) {
        boolean stopping = saved.state() == ActionState.STOPPING;
        lock.lock();
        try {
            history.restore(saved);
            // a run the state file never recorded (see Adoption.Unrecorded)
            if (p.pid() != saved.pid()) history.replaceUnrecorded(p.pid(), ProcTable.startedAt(p.pid()).orElse(Instant.now()));
            process = p;
            // an exit before the stop below takes the lock is the requested one: never restarted
            stopRequested = stopping;
            livenessKilled = false;
            startNanos = System.nanoTime() - ProcTable.ageNanos(p.startTicks());
            state = stopping ? ActionState.STOPPING : ActionState.RUNNING;
            publish();
            p.watch("adopted-" + service + "/" + spec.name() + "-" + p.pid(), code -> onExit(p, code));
        } finally {
            lock.unlock();
        }
        if (stopping) ExitWatcher.handle(this::resumeStop);
    }

    /** The stop a previous daemon began and did not finish; a start or stop that came first has settled it already. */
    private void resumeStop() {
        try {
            if (snapshot.state() == ActionState.STOPPING) stop();
        } catch (RuntimeException e) {
            log.error("{}/{}: the stop a previous daemon began could not be finished: {}", service, spec.name(), e.getMessage());
        }
    }

    /**
     * Restores an action whose process was not found (or was not ours: its pid now belongs to another process).
     * One that should have been running is restarted by its policy, since the service was meant to run.
     * unwatchable: the process still runs but cannot be supervised; FAILED with that reason, never a second copy.
     */
    void restoreWithoutProcess(RuntimeState.Action saved, String unwatchable) {
        lock.lock();
        try {
            history.restore(saved);
            state = saved.state();
            // the run ended while the daemon was down: what it left in its cgroup goes, as at any run's end
            if (unwatchable == null) containment.killAll(GroupStop.GROUP_GRACE);
            switch (saved.state()) {
                case STOPPED, EXITED, FAILED -> { }
                case STOPPING -> state = ActionState.STOPPED;
                case STARTING, RUNNING, BACKOFF -> {
                    history.endUnseen(unwatchable != null ? "left running, unsupervised" : "gone while the daemon was down");
                    if (unwatchable != null) {
                        state = ActionState.FAILED;
                        history.fail(unwatchable);
                    } else if (restartsAllowed.getAsBoolean() && spec.kind() == ActionKind.PROCESS && spec.restart().mode() != RestartPolicy.Mode.NEVER) {
                        state = ActionState.BACKOFF;
                        scheduleRestart(Duration.ZERO);
                    } else {
                        state = ActionState.FAILED;
                        history.fail("process gone while the daemon was down");
                    }
                }
            }
            publish();
        } finally {
            lock.unlock();
        }
    }

    /** Stops watching an adopted process (the supervisor is closing and leaves it running). */
    void release() {
        RunningProcess p = process;
        if (p != null) p.release();
    }

    private void launch() {
        launch(null);
    }

    /** checked: the spec as a start just checked it, or null to check it now (a restart: the binary may be gone since). */
    private void launch(Spawner.Checked checked) {
        state = ActionState.STARTING;
        publish();
        long pid;
        try {
            // earlier runs (this daemon's and, restored from the state file, its predecessors'): helpers they left
            // behind lead no group of their own, but sit in the run's group and may hold its sockets
            reclaimer.reclaim(service, spec, history.jobs());
            var env = SpawnEnvironment.forRun(environment.of(spec, history.restartCount() > 0), history.nextRun());
            pid = Spawner.spawn(checked != null ? checked : Spawner.check(spec), env, containment);
        } catch (SupervisorException e) {
            state = ActionState.FAILED;
            history.fail(e.getMessage());
            publish();
            throw e;
        }
        // the wrappers exec in place, so the start time read now is the service's own
        long ticks = ProcTable.stat(pid).map(ProcTable.Stat::startTicks).orElse(0L);
        RunningProcess run = RunningProcess.spawned(pid, ticks);
        process = run;
        stopRequested = false;
        livenessKilled = false;
        startNanos = System.nanoTime();
        backoff.recordStart(startNanos);
        history.begin(pid, Instant.now());
        state = ActionState.RUNNING;
        publish();
        run.watch("exit-" + service + "/" + spec.name() + "-" + pid, code -> onExit(run, code));
    }

    /**
     * The exit, on the thread that noticed it, which another thread has relieved of the waiting ({@link ExitWatcher}): a
     * zero-delay restart spawns here, and a spawn waits for the child's exec, which a hung file system (its log's open,
     * the work dir, the program) can hold for good, while every other service's exit is still noticed.
     */
    private void onExit(RunningProcess p, int code) {
        if (p == stopping) return; // the stop that holds the lock records it
        String warning;
        lock.lock();
        try {
            warning = recordExit(p, code);
        } finally {
            lock.unlock();
        }
        // logged outside the lock: a slow console must not hold up the restart or a status
        if (warning != null) log.warn(warning);
    }

    /**
     * Under the lock: records the exit and, on a zero delay, restarts on this thread; the line to warn with, if any.
     * The state file's writer and the listeners hear of its changes once the restart has spawned ({@link ChangeFeed}).
     */
    private String recordExit(RunningProcess p, int code) {
        if (p != process) return null; // a stop or start already recorded this run
        feed.hold();
        try {
            ExitStatus exit = finishRun(code, stopRequested);
            // a run killed for failing its liveness check failed, even if it exited 0 on the stop signal
            boolean failed = !exit.success() || livenessKilled;
            if (exit.requested()) {
                state = ActionState.STOPPED;
            } else if (restartsAllowed.getAsBoolean() && Backoff.restartsAfter(spec, exit, livenessKilled)) {
                planRestart(exit);
            } else {
                state = failed ? ActionState.FAILED : ActionState.EXITED;
            }
            publish();
            // a closed supervisor still records exits, but they are its successor's business to report
            boolean told = failed && !exit.requested() && restartsAllowed.getAsBoolean();
            String failure = state == ActionState.FAILED ? (history.reason() != null ? ": " + history.reason() : "") : null;
            if (state == ActionState.BACKOFF && !restartTimer.isPending()) restartNow();
            if (!told) return null;
            String line = service + "/" + spec.name() + ": pid " + p.pid() + " " + exit.describe() + (failure != null ? failure : "");
            // the exit that ends the restarts is always told; the ones of a loop that goes on, only a few
            return failure != null ? line : exitWarnings.admit(line, System.nanoTime());
        } finally {
            feed.release();
        }
    }

    /** BACKOFF with the policy's next delay, or FAILED when one more start would pass the start limit. */
    private void planRestart(ExitStatus exit) {
        long now = System.nanoTime();
        Optional<Duration> delay = backoff.next(spec.restart(), startNanos, now);
        if (delay.isEmpty()) {
            state = ActionState.FAILED;
            history.hitStartLimit(Backoff.limitReason(spec.restart(), exit));
            return;
        }
        state = ActionState.BACKOFF;
        if (!delay.get().isZero()) scheduleRestart(delay.get());
    }

    /** A zero delay restarts on the exit waiter's own thread, still under the lock: no hand-off, no scheduler round trip. */
    private void restartNow() {
        restartTimer.supersede();
        history.countRestart();
        try {
            launch();
        } catch (SupervisorException e) {
            spawnFailed(e);
        }
    }

    private void scheduleRestart(Duration delay) {
        if (!restartTimer.schedule(delay, this::restartIfStillDue)) state = ActionState.FAILED; // supervisor closing
    }

    private void restartIfStillDue(long token) {
        lock.lock();
        try {
            if (state != ActionState.BACKOFF || !restartsAllowed.getAsBoolean() || !restartTimer.claim(token)) return;
            history.countRestart();
            launch();
        } catch (SupervisorException e) {
            spawnFailed(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A restart that could not spawn (the program or the work dir gone, the log not writable) is a failed start, as
     * systemd counts one: tried again after the backoff until the start limit, so a binary being replaced or a disk
     * full for a moment does not end the restarts for good. Left FAILED, with the spawn's error, at the limit.
     */
    private void spawnFailed(SupervisorException e) {
        log.error("{}/{}: restart failed: {}", service, spec.name(), e.getMessage());
        if (!restartsAllowed.getAsBoolean()) return;
        long now = System.nanoTime();
        backoff.recordStart(now);
        Optional<Duration> delay = backoff.next(spec.restart(), now, now);
        if (delay.isEmpty()) return;
        state = ActionState.BACKOFF;
        scheduleRestart(delay.get());
        publish();
    }

    private ExitStatus finishRun(int code, boolean requested) {
        ExitStatus exit = history.end(code, requested, process != null && process.adopted());
        process = null;
        // whatever the run left in its cgroup goes with it (exit, crash, stop), before any restart: no helper outlives its run
        containment.killAll(GroupStop.GROUP_GRACE);
        return exit;
    }

    private void publish() {
        RunningProcess p = process;
        RunSnapshot s = new RunSnapshot(spec, state, p == null ? 0 : p.pid(), p == null ? 0 : p.pgid(), p == null ? 0 : p.startTicks(),
                startNanos, history.restartCount(), history.lastExit(), history.jobs(), history.reason());
        snapshot = s;
        feed.tell(s);
    }
}
