package heromgr.manager;

import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceStatesTest {
    /** The rule as it reads: the worst of FAILED, BACKOFF, STARTING, STOPPING; then RUNNING; all STOPPED; else EXITED. */
    private static String byTheRule(List<ActionStatus> actions) {
        if (actions.isEmpty()) return "STOPPED";
        for (ActionState worst : List.of(ActionState.FAILED, ActionState.BACKOFF, ActionState.STARTING, ActionState.STOPPING)) {
            if (actions.stream().anyMatch(a -> a.state() == worst)) return worst.name();
        }
        if (actions.stream().anyMatch(a -> a.state() == ActionState.RUNNING)) return "RUNNING";
        if (actions.stream().allMatch(a -> a.state() == ActionState.STOPPED)) return "STOPPED";
        return "EXITED";
    }

    private static ActionStatus in(ActionState state) {
        return new ActionStatus("a", state, 0, 0, 0, null, null);
    }

    @Test
    void everyMixOfUpToThreeActionsGetsTheRulesWord() {
        List<List<ActionStatus>> mixes = new ArrayList<>(List.of(List.of()));
        for (int size = 1; size <= 3; size++) {
            List<List<ActionStatus>> longer = new ArrayList<>();
            for (List<ActionStatus> mix : mixes) {
                if (mix.size() != size - 1) continue;
                for (ActionState s : ActionState.values()) {
                    List<ActionStatus> next = new ArrayList<>(mix);
                    next.add(in(s));
                    longer.add(next);
                }
            }
            mixes.addAll(longer);
        }
        assertThat(mixes).hasSize(1 + 7 + 49 + 343);
        for (List<ActionStatus> mix : mixes) {
            assertThat(ServiceStates.of(mix)).as(mix.stream().map(ActionStatus::state).toList().toString()).isEqualTo(byTheRule(mix));
        }
    }
}
