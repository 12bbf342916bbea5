package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Changes are told at once; while an exit is handled, held, then the writer told once and the listeners in order. */
class ChangeFeedTest {
    private final ActionSpec spec = ActionSpec.process("main", List.of("/bin/sleep", "1"), Map.of(), Path.of("/tmp"), Path.of("/tmp/main.log"));
    private final AtomicInteger writes = new AtomicInteger();
    private final List<ActionState> heard = new ArrayList<>();
    private final ChangeFeed feed = new ChangeFeed(writes::incrementAndGet, s -> heard.add(s.state()));

    private RunSnapshot snapshot(ActionState state) {
        return new RunSnapshot(spec, state, 0, 0, 0, 0, 0, null, List.of(), null);
    }

    @Test
    void eachChangeIsToldAtOnce() {
        feed.tell(snapshot(ActionState.STARTING));
        feed.tell(snapshot(ActionState.RUNNING));
        assertThat(writes).hasValue(2);
        assertThat(heard).containsExactly(ActionState.STARTING, ActionState.RUNNING);
    }

    @Test
    void anExitsChangesAreHeldThenToldTheWriterOnceAndTheListenersInOrder() {
        feed.hold();
        feed.tell(snapshot(ActionState.BACKOFF));
        feed.tell(snapshot(ActionState.STARTING));
        feed.tell(snapshot(ActionState.RUNNING));
        assertThat(writes).hasValue(0);
        assertThat(heard).isEmpty();

        feed.release();
        assertThat(writes).hasValue(1);
        assertThat(heard).containsExactly(ActionState.BACKOFF, ActionState.STARTING, ActionState.RUNNING);

        feed.hold();
        feed.release();
        assertThat(writes).as("nothing changed, nothing to write").hasValue(1);
        feed.tell(snapshot(ActionState.STOPPED));
        assertThat(writes).as("told at once again").hasValue(2);
    }
}
