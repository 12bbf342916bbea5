package heromgr.proc.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where an action runner's snapshots go: the state file's writer and the event listeners, told of each change at once;
 * while an exit is handled, held and told once its restart has spawned (before, the writer serialized and renamed
 * runtime.json on the other core during the spawn, and the listeners ran on the restart's path). Used under the
 * runner's lock.
 */
final class ChangeFeed {
    private final Runnable stateChanged;
    private final Consumer<RunSnapshot> changed;
    private List<RunSnapshot> held;

    /**
     * @param stateChanged told of changes (the state file's writer: it writes the latest snapshot)
     * @param changed      told of every change, in order (the event listeners)
     */
    ChangeFeed(Runnable stateChanged, Consumer<RunSnapshot> changed) {
        this.stateChanged = stateChanged;
        this.changed = changed;
    }

    void tell(RunSnapshot s) {
        if (held != null) {
            held.add(s);
            return;
        }
        stateChanged.run();
        changed.accept(s);
    }

    /** From now on the changes wait for {@link #release}. */
    void hold() {
        held = new ArrayList<>(3);
    }

    /** The held changes: the writer told once, the listeners of each in order. */
    void release() {
        List<RunSnapshot> told = held;
        held = null;
        if (told.isEmpty()) return;
        stateChanged.run();
        told.forEach(changed);
    }
}
