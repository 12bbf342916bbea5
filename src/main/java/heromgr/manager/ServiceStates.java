package heromgr.manager;

import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;

import java.util.List;

/** One word for a whole service, from the states of its actions. */
final class ServiceStates {
    private ServiceStates() {
    }

    /**
     * The worst of FAILED, BACKOFF, STARTING, STOPPING that any action is in; else RUNNING when one runs, STOPPED when
     * all are stopped (or there are none), EXITED otherwise. One pass without streams: every service.status reads it,
     * and its streams were a quarter of a status call's garbage.
     */
    static String of(List<ActionStatus> actions) {
        boolean failed = false, backoff = false, starting = false, stopping = false, running = false, allStopped = true;
        for (int i = 0, n = actions.size(); i < n; i++) {
            switch (actions.get(i).state()) {
                case FAILED -> failed = true;
                case BACKOFF -> backoff = true;
                case STARTING -> starting = true;
                case STOPPING -> stopping = true;
                case RUNNING -> running = true;
                default -> { }
            }
            if (actions.get(i).state() != ActionState.STOPPED) allStopped = false;
        }
        if (failed) return ActionState.FAILED.name();
        if (backoff) return ActionState.BACKOFF.name();
        if (starting) return ActionState.STARTING.name();
        if (stopping) return ActionState.STOPPING.name();
        if (running) return ActionState.RUNNING.name();
        return allStopped ? ActionState.STOPPED.name() : ActionState.EXITED.name();
    }

    static boolean live(ActionStatus a) {
        return a.state() == ActionState.RUNNING || a.state() == ActionState.STARTING;
    }
}
