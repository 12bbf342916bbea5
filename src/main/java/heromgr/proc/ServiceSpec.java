package heromgr.proc;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/** What the supervisor runs for one service: its actions, each with a unique name. */
public record ServiceSpec(String name, List<ActionSpec> actions) {
    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        actions = List.copyOf(actions);
        var seen = new HashSet<String>();
        for (ActionSpec a : actions) {
            if (!seen.add(a.name())) throw new IllegalArgumentException("service " + name + ": duplicate action " + a.name());
        }
    }
}
