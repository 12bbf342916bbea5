package heromgr.proc;

import heromgr.fs.TimedLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The hero_proc client contract: everything the manager asks of a process supervisor.
 * The embedded implementation runs processes itself; a remote hero_proc client can implement the same.
 */
public interface ProcessSupervisor extends AutoCloseable {

    /**
     * Starts every action of the service that is not running (idempotent: running actions, adopted ones included,
     * are left alone, and their spec is replaced only for their next run). Returns once each process has been spawned.
     * A start clears FAILED, its reason and the restart counters (backoff, start limit).
     *
     * @throws SupervisorException when a process cannot be spawned (the message names the action and why)
     */
    List<ActionStatus> start(ServiceSpec spec);

    /**
     * Stops every action of the service: the stop signal to its process group, up to the stop timeout,
     * then SIGKILL. No restart follows. A no-op for a service that is not running. Returns when all are gone.
     */
    List<ActionStatus> stop(String service);

    /** The state of each action of the service; an empty list for a service never started. */
    List<ActionStatus> status(String service);

    /** The last {@code lines} lines of the action's log file (all actions when action is null), oldest first. */
    List<String> tail(String service, String action, int lines);

    /**
     * The lines of the action's log (all actions' when action is null; the query's last lines of each), with their
     * times and streams, oldest first across actions.
     */
    List<ActionLine> read(String service, String action, TimedLog.Query query);

    /**
     * A reader of an action's log from its current end on, with the {@code lines} lines before it; a supervisor that
     * rotates logs keeps the reader's place across rotations (no line repeated, none skipped).
     */
    LogCursor followLog(Path logFile, int lines);

    /**
     * Probes the checks now (service.health, a readiness wait) and returns their results in order. The actions that
     * declare any of them show the results at once, so an action turns healthy as soon as anyone has seen it answer.
     */
    List<HealthResult> probe(String service, List<HealthCheck> checks);

    /**
     * Calls listener with (service, the action's new status) whenever an action's state changes (spawned, exited,
     * restarted, stopped) or its health verdict flips ({@link ActionStatus#healthy()} turned true, or stopped being
     * true), on the thread that changed it: a listener must return quickly and never block.
     */
    default void onActionChange(BiConsumer<String, ActionStatus> listener) {
    }

    /**
     * Calls listener with (service, result) after every health probe, the monitor's own and those run on demand, on
     * the probing thread: a listener must return quickly and never block (the daemon's metrics count probe latency).
     */
    default void onHealthProbe(BiConsumer<String, HealthResult> listener) {
    }

    /**
     * The cgroup holding every process of the action's runs (a stop reaches all of them), whether it exists right now
     * or is made at the next spawn; empty when the supervisor has none (no cgroup v2, no right to make one).
     */
    default Optional<Path> controlGroup(String service, String action) {
        return Optional.empty();
    }

    /** What the action's processes use now; empty when none runs or the counters cannot be read. */
    default Optional<ResourceUsage> usage(String service, String action) {
        return Optional.empty();
    }

    /**
     * Blocks (bounded) until the supervisor's persisted runtime state holds every change made so far, so a daemon
     * killed right after a start still finds the new processes. A supervisor that persists nothing returns at once.
     */
    default void awaitPersisted() {
    }

    /**
     * A wave of stops begins (true) or ends (false): the persisted state may be written less often meanwhile, since
     * the wave's answer waits for one write at its end (see awaitPersisted).
     */
    default void paceForWave(boolean begins) {
    }

    /**
     * Adopts the runs a damaged state file forgot: the live processes carrying this supervisor's marker, for the
     * services whose spec specOf knows (empty: left running, unsupervised). Called once at start-up, before any start,
     * by whoever knows the services; a supervisor without such runs returns at once.
     */
    default void adoptUnsaved(Function<String, Optional<ServiceSpec>> specOf) {
    }

    /**
     * Drops what the supervisor keeps of a stopped service (its actions' runs, exits, restart counts, in memory and in
     * its state file): the service was deleted, and one made again under its name starts afresh. Kept while any of its
     * actions is live.
     */
    default void forget(String service) {
    }

    /**
     * Stops supervising. Running processes are left running unless stopAll; a supervisor that persists its state
     * lets the next one on the same state file adopt them.
     */
    void close(boolean stopAll);

    @Override
    default void close() {
        close(false);
    }
}
