package heromgr.manager;

import heromgr.fs.LogLine;
import heromgr.fs.LogStream;
import heromgr.fs.TimedLog;
import heromgr.api.InstallMode;
import heromgr.manager.Results.CreateResult;
import heromgr.manager.Results.DaemonHealth;
import heromgr.manager.Results.DeleteResult;
import heromgr.manager.Results.DeployResult;
import heromgr.manager.Results.FleetResult;
import heromgr.manager.Results.HealthReport;
import heromgr.manager.Results.LogsResult;
import heromgr.manager.Results.RestartResult;
import heromgr.manager.Results.ServiceSummary;
import heromgr.manager.Results.StartResult;
import heromgr.manager.Results.StatusReport;
import heromgr.manager.Results.StopResult;
import heromgr.manager.Results.Troubleshooting;
import heromgr.manager.Results.UpgradeResult;
import heromgr.proc.ActionStatus;
import heromgr.proc.FollowedLog;
import heromgr.proc.LogCursor;
import heromgr.service.BuildResult;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.InstallRecord;
import heromgr.service.InstallResult;
import heromgr.service.Verification;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The face of the service.* operations: one short method each. Operations that change a service run one at a time
 * per service, in arrival order; reads never wait for them; different services proceed in parallel (see
 * {@link Lifecycle}, which every operation is built on).
 */
public final class ServiceManager {
    private final ServiceRegistry registry;
    private final Ctx ctx;
    private final Lifecycle lifecycle;
    private final ServiceHealth health;
    private final ServiceInspector inspector;
    private final OperationLog operations;
    private final RecordedOperations recorded;
    private final EventBus events;
    private final Rollouts rollouts;
    private final DependencyWalk walk;
    private final TransientCatalog transients;
    private final InstanceCatalog instances;
    private final ServiceRemoval removal;
    private final Troubleshooter troubleshooter;
    private final Fleet fleet;
    private final Instant startedAt = Instant.now();
    private final ServiceResources resources;

    /** ctx is null only where nothing runs (a test building the dispatch table). */
    public ServiceManager(ServiceRegistry registry, Ctx ctx, OperationLog operations, EventBus events) {
        this.registry = registry;
        this.ctx = ctx;
        this.operations = operations;
        this.events = events;
        this.recorded = new RecordedOperations(operations, new OperationEvents(events), ctx);
        this.health = new ServiceHealth(ctx, events);
        this.resources = new ServiceResources(ctx);
        this.lifecycle = new Lifecycle(registry, ctx, health, events);
        this.inspector = new ServiceInspector(ctx);
        this.rollouts = new Rollouts(lifecycle, operations);
        this.walk = new DependencyWalk(lifecycle, registry);
        TransientStore store = ctx == null ? null : new TransientStore(ctx.paths().state());
        this.transients = new TransientCatalog(lifecycle, walk, registry, store);
        this.instances = new InstanceCatalog(registry, ctx == null ? null : ctx.paths().state());
        this.removal = new ServiceRemoval(lifecycle, registry, store, instances);
        this.troubleshooter = new Troubleshooter(lifecycle, registry);
        this.fleet = new Fleet(lifecycle, registry);
        if (ctx != null) ctx.supervisor().onActionChange(new ActionEvents(events)::changed);
    }

    /** A manager with the transient services created before this daemon started registered again. */
    public static ServiceManager open(ServiceRegistry registry, Ctx ctx, OperationLog operations, EventBus events) {
        var manager = new ServiceManager(registry, ctx, operations, events);
        manager.transients.loadStored();
        manager.instances.loadStored();
        // every service is known now: the supervisor can adopt what a damaged state file forgot
        ctx.supervisor().adoptUnsaved(manager.lifecycle::specToAdopt);
        return manager;
    }

    /** For a batch of calls stops: their signals first, their waits for the state file made one at the end (see DeferredPersistence). */
    public DeferredPersistence deferredPersistence(int calls) {
        return ctx == null ? DeferredPersistence.none() : DeferredPersistence.of(ctx.supervisor(), calls);
    }

    /** Runs a changing operation as a record of the operation log, announced by start and end events (see RecordedOperations). */
    public <T> T recorded(String method, JsonNode params, String caller, String requestId, Function<RunningOperation, T> op) {
        return recorded.run(method, params, caller, requestId, op);
    }

    public EventBus events() {
        return events;
    }

    /** The operation log, newest first; name null for all services. */
    public List<OperationLog.Entry> operations(String name, int limit) {
        if (name != null && !name.equals(OperationLog.SELF)) registry.get(name);
        return operations.query(name, limit);
    }

    /** The last lines of an operation's output (a build's), oldest first; none when it kept none or the file is gone. */
    public List<String> operationOutput(OperationLog.Entry op, int lines) {
        if (op.outputLog() == null || !Files.isRegularFile(op.outputLog())) return List.of();
        return TimedLog.stream(op.outputLog(), LogStream.STDOUT, TimedLog.Query.last(lines)).stream().map(LogLine::text).toList();
    }

    public List<ServiceSummary> list() {
        return list(false);
    }

    /** usage: also each service's CPU % and memory (a few reads of its cgroup per service). */
    public List<ServiceSummary> list(boolean usage) {
        return registry.all().stream().map(s -> summary(s, usage)).toList();
    }

    /** Per service of every list, which the harness polls every 25 ms while a batch of 1,000 runs: one loop, no streams. */
    private ServiceSummary summary(HeroService s, boolean usage) {
        List<ActionStatus> actions = lifecycle.status(s);
        ActionStatus first = null;
        int restarts = 0;
        for (ActionStatus a : actions) {
            if (first == null && ServiceStates.live(a) && a.pid() > 0) first = a;
            restarts += a.restartCount();
        }
        String version = s instanceof TransientService ? null : ctx.installer().record(s.baseName()).map(InstallRecord::version).orElse(null);
        ServiceResources.Totals used = usage ? resources.of(s, actions) : ServiceResources.Totals.UNKNOWN;
        return new ServiceSummary(s.name(), s.type(), ServiceStates.of(actions), first == null ? null : first.pid(),
                first == null ? null : first.uptimeMs(), restarts,
                health.verdict(s.name(), actions), version, s.dependsOn(), used.cpuPercent(), used.memoryBytes());
    }

    /** A service's direct dependencies and dependents: what a batch must not reorder around it. Empty for an unknown name. */
    public Set<String> related(String name) {
        return registry.find(name).map(s -> {
            Set<String> out = new HashSet<>(s.dependsOn());
            registry.dependents(name).forEach(d -> out.add(d.name()));
            return out;
        }).orElse(Set.of());
    }

    /** settle: how long a service without a health check must run without dying before the answer (zero: once spawned). */
    public CreateResult create(TransientDefinition definition, boolean start, Duration settle, Duration timeout) {
        return transients.create(definition, start, settle, timeout);
    }

    public DeleteResult delete(String name, boolean purgeBinaries, boolean cascade) {
        return removal.delete(name, purgeBinaries, cascade);
    }

    public Map<String, Object> inspect(String name) {
        HeroService s = registry.get(name);
        return inspector.inspect(s, status(name), operations.query(name, 5), lifecycle.lastChange(name).orElse(null));
    }

    public StatusReport status(String name) {
        return StatusReport.of(name, lifecycle.status(registry.get(name)));
    }

    public HealthReport health(String name) {
        return health.probe(registry.get(name));
    }

    /** op (may be null) is the running operation the build output events name. */
    public BuildResult build(String name, String profile, boolean force, RunningOperation op) {
        HeroService s = registry.get(name);
        String p = profile == null ? s.buildProfile() : profile;
        Ctx reporting = recorded.reporting(name, op);
        return lifecycle.exclusive(name, "build", () -> s.build(reporting, p, force));
    }

    /** op (may be null) is the running operation the download progress events name. */
    public InstallResult install(String name, InstallMode mode, String version, boolean force, RunningOperation op) {
        return install(name, mode, version, force, false, op);
    }

    /**
     * reset: start over, as if the service had never been installed: its install record and the binaries kept for a
     * rollback are dropped first and every binary is written anew (reset implies force).
     */
    public InstallResult install(String name, InstallMode mode, String version, boolean force, boolean reset, RunningOperation op) {
        HeroService s = registry.get(name);
        Ctx reporting = recorded.reporting(name, op);
        return lifecycle.exclusive(name, "install", () -> {
            // an instance's install record and rollback copies are its class's
            if (reset) ctx.installer().forget(s.baseName());
            return s.install(reporting, mode, version, force || reset);
        });
    }

    /**
     * With dependencies: the ones not running are started first (each waits until healthy), then this one. An
     * instance name (hero_codescalers@b) of a multi-instance class makes the instance at its first start.
     */
    public StartResult start(String name, boolean wait, Duration timeout, boolean withDependencies) {
        return start(name, new StartRequest(wait, timeout, withDependencies, false, null), null);
    }

    /**
     * A start as service.start asks for it: with reset the service is stopped and its runtime state dropped first; with
     * a version, that release is installed first unless it is the one installed (see Rollouts.start).
     */
    public StartResult start(String name, StartRequest request, RunningOperation op) {
        HeroService s = instances.forStart(name);
        List<String> deps = request.withDependencies() ? walk.startDependencies(s, request.timeout()) : List.of();
        return rollouts.start(s, request, recorded.reporting(name, op)).withDependencies(deps);
    }

    /** What service.start asks for besides the name. version: a release tag to be installed first; null: what is installed. */
    public record StartRequest(boolean awaitHealth, Duration timeout, boolean withDependencies, boolean reset, String version) {
    }

    /** The named services (every one when names is empty) and their dependencies, started level by level (see Fleet). */
    public FleetResult up(List<String> names, Duration timeout, RunningOperation op) {
        return fleet.up(names, timeout, recorded.steps(op));
    }

    /** The named services (every one when names is empty) and their dependents, stopped dependents first (see Fleet). */
    public FleetResult down(List<String> names, RunningOperation op) {
        return fleet.down(names, recorded.steps(op));
    }

    /** Refused while dependents run, unless cascade, which stops them first (dependents of dependents first). */
    public StopResult stop(String name, boolean cascade) {
        HeroService s = registry.get(name);
        List<String> dependents = walk.stopDependents(s, cascade);
        Lifecycle.Stopped stopped = lifecycle.exclusive(name, "stop", () -> {
            // a stop that queued behind a delete must not answer that it stopped a service that is gone
            lifecycle.requireRegistered(s);
            return lifecycle.stop(s);
        });
        return new StopResult(name, stopped.wasLive(), ServiceStates.of(stopped.after()), dependents);
    }

    public RestartResult restart(String name, Duration timeout) {
        HeroService s = registry.get(name);
        return lifecycle.exclusive(name, "restart", () -> {
            lifecycle.stop(s);
            Instant at = Instant.now();
            StartResult started = lifecycle.start(s, true, timeout);
            return new RestartResult(name, started.state(), at, started.healthy());
        });
    }

    public UpgradeResult upgrade(String name, String version, Duration timeout, RunningOperation op) {
        return rollouts.upgrade(registry.get(name), version, timeout, recorded.reporting(name, op));
    }

    public DeployResult deploy(String name, InstallMode mode, String version, Duration timeout, RunningOperation op) {
        return rollouts.deploy(registry.get(name), mode, version, timeout, recorded.reporting(name, op));
    }

    /** rpc.health: the daemon is up and answering; the counts come from the registry and the supervisor. */
    public DaemonHealth daemonHealth() {
        List<HeroService> all = registry.all();
        int running = (int) all.stream().filter(svc -> lifecycle.isLive(svc.name())).count();
        long uptime = Duration.between(startedAt, Instant.now()).toMillis();
        return new DaemonHealth(true, ProcessHandle.current().pid(), uptime, all.size(), running);
    }

    public Troubleshooting troubleshoot(String name) {
        return troubleshooter.diagnose(registry.get(name), operations.query(name, 50));
    }

    public Verification verify(String name) {
        return registry.get(name).verify(ctx);
    }

    public LogsResult logs(String name, String action, TimedLog.Query query) {
        return LogsResult.of(name, registry.get(name).timedLogs(ctx, action, query));
    }

    /** Readers of each stream of one action's log (every action's when action is null) from its end on. */
    public List<FollowedLog> followLogs(String name, String action) {
        return registry.get(name).followLogs(ctx, action);
    }

    /** A reader of one action's log (the first action's when action is null) from its end on, across rotations. */
    public LogCursor followLog(String name, String action, int lines) {
        return registry.get(name).followLog(ctx, action, lines);
    }

    /** Where transient services run when they name no working directory. */
    public Path home() {
        return ctx.paths().home();
    }
}
