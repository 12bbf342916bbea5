package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.ExitStatus;
import heromgr.proc.Job;
import heromgr.proc.state.SavedAction;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** One action as its runner last published it: what status() and the state store read without taking its lock. */
record RunSnapshot(ActionSpec spec, ActionState state, long pid, long pgid, long startTicks, long startNanos,
                   int restartCount, ExitStatus lastExit, List<Job> jobs, String reason) implements SavedAction.Snapshot {
    ActionStatus toStatus(long nowNanos) {
        long uptime = pid == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(nowNanos - startNanos);
        return new ActionStatus(spec.name(), state, pid, uptime, restartCount, lastExit, spec.logFile(), null, List.of(), jobs, reason);
    }
}
