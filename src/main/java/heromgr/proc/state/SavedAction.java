package heromgr.proc.state;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ExitStatus;
import heromgr.proc.Job;

import java.util.List;

/** An action whose state runtime.json keeps: the supervisor's action runner. */
public interface SavedAction {

    /** The action now: the same object until the action changes, so a serialization made from it can be reused. */
    Snapshot snapshot();

    /** What the state file records of one action at one moment; immutable. */
    interface Snapshot {
        ActionSpec spec();

        ActionState state();

        long pid();

        long pgid();

        long startTicks();

        int restartCount();

        ExitStatus lastExit();

        String reason();

        List<Job> jobs();
    }
}
