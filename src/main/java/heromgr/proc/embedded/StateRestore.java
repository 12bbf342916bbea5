package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ServiceSpec;
import heromgr.proc.health.HealthMonitor;
import heromgr.proc.state.RuntimeState;
import heromgr.proc.state.RuntimeStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a previous daemon on the same state file left: its services restored from the file when the supervisor is made
 * (each process adopted where it still runs), and the runs the file never recorded or a damaged file forgot, adopted by
 * their marker once their specs are known. The state file's writer starts once there is nothing left to look for.
 */
final class StateRestore {
    // the supervisor's logger: these lines were its own, and a log filtered by logger name must still find them
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSupervisor.class);

    /** The state file's path (see {@link Adoption#marker}), null without one. */
    private final String owner;
    private final ConcurrentSkipListMap<String, ServiceRunners> services;
    private final BiFunction<String, ActionSpec, ActionRunner> newRunner;
    private final HealthMonitor monitor;
    private final RuntimeStateStore store;
    /** The runs a damaged state file forgot, until {@link #adoptUnsaved} adopts them; null when there are none to find. */
    private volatile Adoption.Unrecorded unsaved;

    /**
     * @param services  the supervisor's services, filled here
     * @param newRunner makes the runner of a service's action, as the supervisor makes every runner
     */
    StateRestore(String owner, ConcurrentSkipListMap<String, ServiceRunners> services,
                 BiFunction<String, ActionSpec, ActionRunner> newRunner, HealthMonitor monitor, RuntimeStateStore store) {
        this.owner = owner;
        this.services = services;
        this.newRunner = newRunner;
        this.monitor = monitor;
        this.store = store;
    }

    /** Restores what the state file recorded, if anything, and starts its writer unless there are lost runs to find first. */
    void load(Path stateFile) {
        switch (RuntimeStateStore.load(stateFile)) {
            case RuntimeStateStore.Loaded.Absent() -> store.start();
            case RuntimeStateStore.Loaded.Saved(RuntimeState saved) -> {
                // a daemon killed between a spawn and the write that records it left a run the file never heard
                // of (a create's first start, a start of a stopped service): adopted by its marker, never started twice
                unsaved = new Adoption.Unrecorded();
                restore(saved, unsaved);
                store.start();
            }
            // the file is written once the lost runs are adopted: a daemon killed before that must find none
            // recorded as gone, and look for them by their marker again
            case RuntimeStateStore.Loaded.Damaged(String why, Path keptAs) -> unsaved = Adoption.Unrecorded.afterDamage(owner, stateFile, why, keptAs);
        }
    }

    /** Whether runs are still to be adopted by their marker (read without a lock, on every start). */
    boolean pending() {
        return unsaved != null;
    }

    /** See {@link heromgr.proc.ProcessSupervisor#adoptUnsaved}. */
    void adoptUnsaved(Function<String, Optional<ServiceSpec>> specOf) {
        Adoption.Unrecorded runs;
        synchronized (this) {
            runs = unsaved;
            unsaved = null;
        }
        if (runs == null) return;
        for (String name : runs.services(owner).keySet()) {
            if (services.containsKey(name)) continue; // restored from the state file, its lost runs claimed there
            ServiceSpec spec = specOf.apply(name).orElse(null);
            if (spec == null) {
                log.error("service {}: running processes carry its marker but there is no spec for it (no such service, or its class failed); left running, unsupervised", name);
                continue;
            }
            var runners = new ArrayList<ActionRunner>();
            for (ActionSpec a : spec.actions()) {
                ActionRunner r = newRunner.apply(name, a);
                switch (runs.claim(Adoption.marker(owner, name, a.name()), name + "/" + a.name(), 0)) {
                    case Adoption.Outcome.Found(RunningProcess p) -> r.adopt(Adoption.unsaved(a, p), p);
                    case Adoption.Outcome.Gone() -> { }
                    case Adoption.Outcome.Unwatchable(String why) -> r.restoreWithoutProcess(Adoption.unsaved(a, null), why);
                }
                runners.add(r);
                monitor.watch(name, r, a);
            }
            put(name, spec, runners);
        }
        store.start();
    }

    private void restore(RuntimeState saved, Adoption.Unrecorded unrecorded) {
        int adopted = 0;
        for (RuntimeState.Service s : saved.services()) {
            if (s.actions().isEmpty()) continue;
            var runners = new ArrayList<ActionRunner>();
            var specs = new ArrayList<ActionSpec>();
            for (RuntimeState.Action a : s.actions()) {
                ActionRunner r = newRunner.apply(s.name(), a.spec());
                switch (Adoption.find(s.name(), a, owner, unrecorded)) {
                    case Adoption.Outcome.Found(RunningProcess p) -> {
                        r.adopt(a, p);
                        adopted++;
                    }
                    case Adoption.Outcome.Gone() -> r.restoreWithoutProcess(a, null);
                    case Adoption.Outcome.Unwatchable(String why) -> r.restoreWithoutProcess(a, why);
                }
                runners.add(r);
                specs.add(a.spec());
                monitor.watch(s.name(), r, a.spec());
            }
            put(s.name(), new ServiceSpec(s.name(), specs), runners);
        }
        // one line for the fleet (a daemon of 1,000 services wrote 1,000 "adopted" lines); each process's is at debug,
        // and every one that was not adopted keeps its own line above
        log.info("adopted {} running processes of {} services recorded in {}", adopted, saved.services().size(), owner);
    }

    private void put(String name, ServiceSpec spec, List<ActionRunner> runners) {
        var svc = new ServiceRunners();
        svc.spec = spec;
        svc.runners = List.copyOf(runners);
        services.put(name, svc);
    }
}
