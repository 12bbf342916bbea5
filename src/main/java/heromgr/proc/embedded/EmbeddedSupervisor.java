package heromgr.proc.embedded;

import heromgr.fs.TimedLog;
import heromgr.proc.ActionLine;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthResult;
import heromgr.proc.LogCursor;
import heromgr.proc.ProcessSupervisor;
import heromgr.proc.ResourceUsage;
import heromgr.proc.ServiceSpec;
import heromgr.proc.SupervisorException;
import heromgr.proc.cgroup.ControlGroups;
import heromgr.proc.health.HealthMonitor;
import heromgr.proc.health.MonitoredAction;
import heromgr.proc.log.LogRotator;
import heromgr.proc.os.ProcTable;
import heromgr.proc.reclaim.Reclaimer;
import heromgr.proc.state.RuntimeStateJson;
import heromgr.proc.state.RuntimeStateStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The supervisor the daemon runs by default: it spawns the processes itself, each as the leader of its own
 * process group (and session, so they outlive the daemon), and notices their exits the moment they happen.
 *
 * <p>With a state file, every change that matters (spawn, exit, stop) is persisted (coalesced, see
 * {@link RuntimeStateStore}), and a new supervisor on the same file adopts the processes a previous daemon left
 * running: same pid, RUNNING, no new spawn, its exit noticed through a pidfd. An action whose process is gone
 * (or whose pid now names another process, told apart by its start time) is restarted when its policy restarts
 * anything, since the service was meant to run; it is never signalled.
 */
public final class EmbeddedSupervisor implements ProcessSupervisor {
    /** Sorted by name: each state write walks them in order (sorting 1000 names per write was a batch's cost). */
    private final ConcurrentSkipListMap<String, ServiceRunners> services = new ConcurrentSkipListMap<>();
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("heromgr-restarts").daemon().factory());
    /** A state write takes a few ms; one that takes longer is a sick disk, and the start is not held up beyond this. */
    private static final Duration PERSIST_WAIT = Duration.ofSeconds(2);
    private final RuntimeStateStore store;
    private final StateRestore restore;
    private final RuntimeStateJson stateJson = new RuntimeStateJson();
    private final Reclaimer reclaimer;
    /** The state file's path: part of every spawn's marker, so a successor on the same file recognizes its processes. */
    private final String owner;
    /** One cgroup per action under a directory of this daemon's, or none (then stops reach what they reached before). */
    private final ControlGroups cgroups;
    private final List<BiConsumer<String, ActionStatus>> listeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, HealthResult>> probeListeners = new CopyOnWriteArrayList<>();
    private final HealthMonitor monitor = new HealthMonitor(scheduler, this::healthChanged, this::probed);
    private final LogRotator rotator = new LogRotator(scheduler, this::runningSpecs, LogRotator.CHECK_EVERY);
    private final ActionLogs logs = new ActionLogs(rotator);
    private volatile boolean closed;

    /** State in memory only: nothing survives the daemon. */
    public EmbeddedSupervisor() {
        this(null, Reclaimer.standard());
    }

    /** @param reclaimer decides which holders of an action's sockets may be killed as stale instances */
    public EmbeddedSupervisor(Reclaimer reclaimer) {
        this(null, reclaimer);
    }

    public EmbeddedSupervisor(Path stateFile) {
        this(stateFile, Reclaimer.standard());
    }

    /** Persists runtime state to stateFile and adopts what a previous supervisor on the same file left running. */
    public EmbeddedSupervisor(Path stateFile, Reclaimer reclaimer) {
        this(stateFile, reclaimer, ControlGroups::detect);
    }

    /** @param cgroups makes the daemon's cgroups, given the state file's path (null without one) */
    public EmbeddedSupervisor(Path stateFile, Reclaimer reclaimer, Function<String, ControlGroups> cgroups) {
        this.reclaimer = reclaimer;
        this.owner = stateFile == null ? null : stateFile.toAbsolutePath().normalize().toString();
        this.cgroups = cgroups.apply(owner);
        store = new RuntimeStateStore(stateFile, this::runtimeState);
        restore = new StateRestore(owner, services, this::newRunner, monitor, store);
        restore.load(stateFile);
    }

    @Override
    public void adoptUnsaved(Function<String, Optional<ServiceSpec>> specOf) {
        restore.adoptUnsaved(specOf);
    }

    /**
     * See {@link ColdStart}, then alsoThen (the daemon's own set-up ahead of its first calls of a kind) on the same
     * thread, then the cgroup directories of killed daemons removed: the daemon calls this once it has answered its first
     * call (during its start-up, or beside that call, each delayed the first answer).
     */
    public void prepareInBackground(Runnable alsoThen) {
        ColdStart.prepareInBackground(() -> {
            alsoThen.run();
            cgroups.removeAbandoned();
        });
    }

    /** Writes of the state file so far. */
    long stateWrites() {
        return store.writes();
    }

    private ActionRunner newRunner(String service, ActionSpec spec) {
        var self = new ActionRunner[1];
        self[0] = new ActionRunner(service, spec, scheduler, () -> !closed, reclaimer, owner, cgroups.forAction(service, spec.name()),
                store::markDirty, snapshot -> changed(service, self[0], snapshot));
        return self[0];
    }

    /** runner is null while it is still being constructed: the listeners do not hear of that (the state file does). */
    private void changed(String service, ActionRunner runner, RunSnapshot snapshot) {
        if (runner == null || listeners.isEmpty()) return;
        ActionStatus status = monitor.decorate(runner, snapshot.toStatus(System.nanoTime()));
        for (var l : listeners) l.accept(service, status);
    }

    /** The monitor's verdict on an action flipped: listeners hear it like any other change (nothing to persist). */
    private void healthChanged(String service, MonitoredAction action) {
        for (var l : listeners) l.accept(service, monitor.decorate(action, action.status()));
    }

    private void probed(String service, HealthResult result) {
        for (var l : probeListeners) l.accept(service, result);
    }

    @Override
    public void onHealthProbe(BiConsumer<String, HealthResult> listener) {
        probeListeners.add(listener);
    }

    @Override
    public void onActionChange(BiConsumer<String, ActionStatus> listener) {
        listeners.add(listener);
    }

    /** Services by name, actions in their order: the same state always serializes to the same bytes. */
    private List<byte[]> runtimeState() {
        return stateJson.serialize(services, service -> service.runners);
    }

    @Override
    public List<ActionStatus> start(ServiceSpec spec) {
        if (closed) throw new SupervisorException("service " + spec.name() + ": the supervisor is closed");
        // nobody adopted the runs a damaged state file forgot: this service's are adopted now, never started twice
        if (restore.pending()) adoptUnsaved(name -> name.equals(spec.name()) ? Optional.of(spec) : Optional.empty());
        ServiceRunners svc = lockedEntry(spec.name());
        try {
            var existing = new LinkedHashMap<String, ActionRunner>();
            for (ActionRunner r : svc.runners) existing.put(r.name(), r);
            // check every action before spawning any, so a typo does not leave the service half started
            var checked = new HashMap<String, Spawner.Checked>();
            for (ActionSpec a : spec.actions()) {
                ActionRunner r = existing.get(a.name());
                if (r == null || !r.isLive()) checked.put(a.name(), Spawner.check(a));
            }
            return startEach(spec, svc.follow(spec, existing, a -> newRunner(spec.name(), a), monitor::forget), checked);
        } finally {
            svc.lock.unlock();
        }
    }

    /** The service's entry, made if need be, locked; never one a forget took out of the map while this waited for it. */
    private ServiceRunners lockedEntry(String service) {
        while (true) {
            ServiceRunners svc = services.computeIfAbsent(service, _ -> new ServiceRunners());
            svc.lock.lock();
            if (services.get(service) == svc) return svc;
            svc.lock.unlock();
        }
    }

    @Override
    public void forget(String service) {
        ServiceRunners svc = services.get(service);
        if (svc == null) return;
        svc.lock.lock();
        try {
            if (svc.runners.stream().anyMatch(ActionRunner::isLive)) return;
            for (ActionRunner r : svc.runners) monitor.forget(r);
            services.remove(service, svc);
            store.markDirty();
        } finally {
            svc.lock.unlock();
        }
    }

    /**
     * Each action as its start left it (under the runner's lock): a process that exits at once may already be
     * restarting by the time this returns, and a status read now could show that instead of this start.
     */
    private List<ActionStatus> startEach(ServiceSpec spec, List<ActionRunner> runners, Map<String, Spawner.Checked> checked) {
        var started = new ArrayList<ActionStatus>(runners.size());
        for (int i = 0; i < runners.size(); i++) {
            ActionRunner r = runners.get(i);
            if (i < spec.actions().size()) {
                ActionSpec a = spec.actions().get(i);
                // the state file's JSON of the new spec made here, beside the other starts, not on the one writer they wait for
                if (owner != null) stateJson.prepare(r, a);
                ActionStatus status = r.start(a, checked.get(a.name()));
                monitor.watch(spec.name(), r, a);
                started.add(monitor.decorate(r, status));
            } else {
                started.add(monitor.decorate(r, r.status()));
            }
        }
        return started;
    }

    @Override
    public List<ActionStatus> stop(String service) {
        ServiceRunners svc = services.get(service);
        if (svc == null) return List.of();
        svc.lock.lock();
        try {
            RuntimeException failure = null;
            for (ActionRunner r : svc.runners.reversed()) {
                try {
                    r.stop();
                } catch (RuntimeException e) {
                    // keep stopping the others: one stuck process must not keep the rest running
                    if (failure == null) failure = e;
                    else failure.addSuppressed(e);
                }
            }
            svc.keepWanted(monitor::forget);
            if (failure != null) throw failure;
            return statuses(svc);
        } finally {
            svc.lock.unlock();
        }
    }

    @Override
    public List<ActionStatus> status(String service) {
        ServiceRunners svc = services.get(service);
        return svc == null ? List.of() : statuses(svc);
    }

    @Override
    public List<String> tail(String service, String action, int lines) {
        return logs.tail(runnersOf(service), action, lines);
    }

    @Override
    public List<ActionLine> read(String service, String action, TimedLog.Query query) {
        return logs.read(runnersOf(service), action, query);
    }

    private List<ActionRunner> runnersOf(String service) {
        ServiceRunners svc = services.get(service);
        return svc == null ? List.of() : svc.runners;
    }

    @Override
    public LogCursor followLog(Path logFile, int lines) {
        return rotator.follow(logFile, lines);
    }

    /** The specs of the actions whose process runs: what the log rotator watches. */
    private List<ActionSpec> runningSpecs() {
        var out = new ArrayList<ActionSpec>();
        for (ServiceRunners svc : services.values()) {
            for (ActionRunner r : svc.runners) {
                RunSnapshot s = r.snapshot();
                if (s.pid() != 0) out.add(s.spec());
            }
        }
        return out;
    }

    @Override
    public Optional<Path> controlGroup(String service, String action) {
        return cgroups.leafPath(service, action);
    }

    @Override
    public Optional<ResourceUsage> usage(String service, String action) {
        long pid = runnersOf(service).stream().filter(r -> r.name().equals(action))
                .mapToLong(r -> r.snapshot().pid()).findFirst().orElse(0);
        if (pid == 0) return Optional.empty();
        // the main process's own counters when there is no cgroup to read: what it spawned is not counted
        return cgroups.usage(service, action).or(() -> ProcTable.stat(pid).map(s -> new ResourceUsage(s.cpuUsec(), s.rssBytes(), false)));
    }

    @Override
    public void awaitPersisted() {
        store.awaitPersisted(PERSIST_WAIT);
    }

    @Override
    public void paceForWave(boolean begins) {
        store.paceForWave(begins);
    }

    @Override
    public List<HealthResult> probe(String service, List<HealthCheck> checks) {
        return monitor.probe(service, checks);
    }

    @Override
    public void close(boolean stopAll) {
        closed = true; // from here on an exit is recorded but not restarted
        monitor.close();
        rotator.close();
        try {
            if (stopAll) stopEverything();
        } finally {
            for (ServiceRunners svc : services.values()) {
                for (ActionRunner r : svc.runners) r.release();
            }
            store.close();
            scheduler.shutdownNow();
            cgroups.close();
        }
    }

    /**
     * Every service at once, as systemd stops units: one after the other, each waited on up to its stop timeout, a few
     * services that ignore SIGTERM outlasted the unit's TimeoutStopSec, and systemd (KillMode=process) then killed only
     * the daemon, leaving the rest running.
     */
    private void stopEverything() {
        var failures = new ConcurrentLinkedQueue<RuntimeException>();
        var stops = new ArrayList<Thread>();
        for (String name : List.copyOf(services.keySet())) {
            stops.add(Thread.ofVirtual().name("heromgr-stop-" + name).start(() -> {
                try {
                    stop(name);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        try {
            for (Thread t : stops) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupervisorException("interrupted while stopping every service");
        }
        RuntimeException failure = failures.poll();
        if (failure == null) return;
        for (RuntimeException e : failures) failure.addSuppressed(e);
        throw failure;
    }

    private List<ActionStatus> statuses(ServiceRunners svc) {
        var runners = svc.runners;
        var out = new ArrayList<ActionStatus>(runners.size());
        for (ActionRunner r : runners) out.add(monitor.decorate(r, r.status()));
        return out;
    }
}
