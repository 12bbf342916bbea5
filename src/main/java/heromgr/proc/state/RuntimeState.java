package heromgr.proc.state;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ExitStatus;
import heromgr.proc.Job;

import java.util.List;

/**
 * What runtime.json holds: per service, per action, enough to supervise it again after a daemon restart.
 * A process is identified by pid AND startTicks (field 22 of /proc/pid/stat): a pid alone may meanwhile belong
 * to an unrelated process, which must never be adopted or signalled.
 */
public record RuntimeState(int version, List<Service> services) {
    public static final int VERSION = 1;

    public RuntimeState {
        services = services == null ? List.of() : List.copyOf(services);
    }

    public record Service(String name, List<Action> actions) {
        public Service {
            actions = actions == null ? List.of() : List.copyOf(actions);
        }
    }

    /**
     * fingerprint: sha256 of the spec's JSON, so tools (and people diffing two state files) see at a glance which
     * actions run a spec other than before. Adoption does not depend on it: identity is pid + startTicks, and a
     * restored spec only matters for the next run, which a new start replaces anyway.
     */
    public record Action(ActionSpec spec, String fingerprint, ActionState state, long pid, long pgid, long startTicks,
                  int restartCount, ExitStatus lastExit, String reason, List<Job> jobs) {
        public Action {
            jobs = jobs == null ? List.of() : List.copyOf(jobs);
        }
    }
}
