package heromgr.proc.health;

import heromgr.proc.ActionStatus;

/**
 * What the health monitor needs of a supervised action: whether a run is live or due, which run that is, and a signal
 * to that run only. The supervisor's action runner is one; the monitor never starts or stops anything itself.
 */
public interface MonitoredAction {
    /** Whether a process runs or is about to (a restart is pending). */
    boolean isLive();

    /** The action's state now, read without a lock; its pid is 0 between runs. */
    ActionStatus status();

    /**
     * Signals the run's process group if pid is still the current run (the liveness kill). Not a stop: the exit that
     * follows is unexpected, so the restart policy applies. False when that run is over.
     */
    boolean signalRun(long pid, int signal);
}
