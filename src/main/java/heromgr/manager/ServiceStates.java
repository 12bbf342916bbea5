package heromgr.manager;

import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;

import java.util.List;

/** One word for a whole service, from the states of its actions. */
final class ServiceStates {
    private ServiceStates() {
    }

    static String of(List<ActionStatus> actions) {
        if (actions.isEmpty()) return ActionState.STOPPED.name();
        for (ActionState worst : List.of(ActionState.FAILED, ActionState.BACKOFF, ActionState.STARTING, ActionState.STOPPING)) {
            if (actions.stream().anyMatch(a -> a.state() == worst)) return worst.name();
        }
        if (actions.stream().anyMatch(a -> a.state() == ActionState.RUNNING)) return ActionState.RUNNING.name();
        if (actions.stream().allMatch(a -> a.state() == ActionState.STOPPED)) return ActionState.STOPPED.name();
        return ActionState.EXITED.name();
    }

    static boolean live(ActionStatus a) {
        return a.state() == ActionState.RUNNING || a.state() == ActionState.STARTING;
    }
}
