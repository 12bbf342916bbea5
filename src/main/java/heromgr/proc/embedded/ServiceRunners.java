package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ServiceSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One service's runners, and which of them a change of its spec or a stop keeps. The lock orders starts and stops of
 * the service; readers use the published list.
 */
final class ServiceRunners {
    final ReentrantLock lock = new ReentrantLock();
    /** The current spec's actions in spec order, then actions dropped from the spec that still run. */
    volatile List<ActionRunner> runners = List.of();
    ServiceSpec spec;

    /**
     * Under the lock: the runners of newSpec's actions, published with it: existing's by action name, made anew for the
     * others. forgotten: told of each existing runner that goes.
     */
    List<ActionRunner> follow(ServiceSpec newSpec, Map<String, ActionRunner> existing,
                              Function<ActionSpec, ActionRunner> newRunner, Consumer<ActionRunner> forgotten) {
        var next = new ArrayList<ActionRunner>();
        for (ActionSpec a : newSpec.actions()) {
            ActionRunner r = existing.remove(a.name());
            next.add(r != null ? r : newRunner.apply(a));
        }
        // an action removed from the spec keeps running until the service is stopped, and stays visible until then
        for (ActionRunner r : existing.values()) {
            if (r.isLive()) next.add(r);
            else forgotten.accept(r);
        }
        spec = newSpec;
        runners = List.copyOf(next);
        return next;
    }

    /** Under the lock, after a stop: the spec's actions stay, the ones dropped from it only while they still run. */
    void keepWanted(Consumer<ActionRunner> forgotten) {
        if (spec == null) return;
        var wanted = new HashSet<String>();
        for (ActionSpec a : spec.actions()) wanted.add(a.name());
        var kept = runners.stream().filter(r -> wanted.contains(r.name()) || r.isLive()).toList();
        for (ActionRunner r : runners) {
            if (!kept.contains(r)) forgotten.accept(r);
        }
        runners = kept;
    }
}
