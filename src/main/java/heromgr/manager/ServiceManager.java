package heromgr.manager;

import heromgr.manager.Results.DeployResult;
import heromgr.manager.Results.CreateResult;
import heromgr.manager.Results.DeleteResult;
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
import heromgr.proc.HealthCheck;
import heromgr.proc.health.HealthProber;
import heromgr.proc.HealthResult;
import heromgr.proc.LogCursor;
import heromgr.proc.SupervisorException;
import heromgr.service.BinaryVerifier;
import heromgr.service.BuildResult;
import heromgr.service.Ctx;
import heromgr.service.ErrorCode;
import heromgr.service.HeroException;
import heromgr.service.HeroService;
import heromgr.service.InstallMode;
import heromgr.service.InstallRecord;
import heromgr.service.InstallResult;
import heromgr.service.TransientDefinition;
import heromgr.service.TransientService;
import heromgr.service.Verification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One method per service.* operation. Operations that change a service run one at a time per service, in
 * arrival order (a fair lock); reads never wait for them. Different services proceed in parallel.
 */
public final class ServiceManager {
    private static final Logger log = LoggerFactory.getLogger(ServiceManager.class);

    private final ServiceRegistry registry;
    private final Ctx ctx;
    private final HealthProber prober = new HealthProber();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Boolean> lastHealthy = new ConcurrentHashMap<>();
    private final Map<String, ActionStatus> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Results.LastChange> lastChange = new ConcurrentHashMap<>();
    private final ServiceInspector inspector;
    private final OperationLog operations;
    private final Rollouts rollouts;
    private final DependencyWalk walk;
    private final EventBus events;
    private final OperationEvents operationEvents;
    private final TransientCatalog transients;
    private final ServiceRemoval removal;

    /** ctx is null only where nothing runs (a test building the dispatch table). */
    public ServiceManager(ServiceRegistry registry, Ctx ctx, OperationLog operations, EventBus events) {
        this.registry = registry;
        this.ctx = ctx;
        this.inspector = new ServiceInspector(ctx);
        this.operations = operations;
        this.events = events;
        this.operationEvents = new OperationEvents(events);
        this.rollouts = new Rollouts(this, ctx);
        this.walk = new DependencyWalk(this, registry);
        TransientStore store = ctx == null ? null : new TransientStore(ctx.paths().state());
        this.transients = new TransientCatalog(this, registry, store);
        this.removal = new ServiceRemoval(this, registry, store);
        if (ctx != null) ctx.supervisor().onActionChange(this::actionChanged);
    }

    /**
     * The supervisor's changes as events: "state" when an action's state changes, "job" when a run ends, "health"
     * (with the action) when the monitor's verdict on an action with checks turns healthy or stops being healthy.
     */
    private void actionChanged(String service, ActionStatus now) {
        ActionStatus before = lastSeen.put(service + "/" + now.name(), now);
        if (before == null || before.state() != now.state() || before.pid() != now.pid()) {
            events.publish("state", service, Map.of("action", now.name(), "state", now.state().name(), "pid", now.pid(),
                    "restart_count", now.restartCount()));
        }
        if (now.lastExit() != null && (before == null || !now.lastExit().equals(before.lastExit()))) {
            events.publish("job", service, Map.of("action", now.name(), "exit", now.lastExit()));
        }
        // unknown counts as not healthy, so a fresh start is not announced as a loss of health
        boolean healthyBefore = before != null && Boolean.TRUE.equals(before.healthy());
        if (now.healthy() != null && now.healthy() != healthyBefore) {
            events.publish("health", service, Map.of("action", now.name(), "ok", now.healthy(), "pid", now.pid()));
        }
    }

    /** A manager with the transient services created before this daemon started registered again. */
    public static ServiceManager open(ServiceRegistry registry, Ctx ctx, OperationLog operations, EventBus events) {
        var manager = new ServiceManager(registry, ctx, operations, events);
        manager.transients.loadStored();
        return manager;
    }

    /**
     * Runs a changing operation and records it in the operation log (params redacted, the caller, timing,
     * outcome); a build's full output is kept with the record. Its start and end are events naming its id;
     * requestId (the JSON-RPC id, may be null) goes into the start event so a caller can recognize its operation.
     */
    public <T> T recorded(String method, JsonNode params, String caller, String requestId, Function<RunningOperation, T> op) {
        String name = params.path("name").asText(null);
        Supplier<Path> output = method.equals("service.build") && name != null
                ? () -> ctx.cargo().outputLog(name) : null;
        RunningOperation running = new RunningOperation(operations.newId(), method);
        operationEvents.started(name, running, caller, requestId);
        long t0 = System.nanoTime();
        String outcome = "error";
        try {
            T result = operations.record(running.id(), method, name, params, caller, output, () -> op.apply(running));
            outcome = "ok";
            return result;
        } finally {
            operationEvents.ended(name, running, outcome, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** The context for one operation on a service: its release downloads report progress as events. */
    private Ctx reporting(String name, RunningOperation op) {
        return op == null ? ctx : ctx.withDownloadProgress(operationEvents.downloads(name, op));
    }

    public EventBus events() {
        return events;
    }

    OperationLog operationLog() {
        return operations;
    }

    /** The operation log, newest first; name null for all services. */
    public List<OperationLog.Entry> operations(String name, int limit) {
        if (name != null) registry.get(name);
        return operations.query(name, limit);
    }

    public List<ServiceSummary> list() {
        return registry.all().stream().map(this::summary).toList();
    }

    private ServiceSummary summary(HeroService s) {
        List<ActionStatus> actions = ctx.supervisor().status(s.name());
        Long pid = actions.stream().filter(ServiceStates::live).map(ActionStatus::pid).filter(p -> p > 0).findFirst().orElse(null);
        String version = s instanceof TransientService ? null : ctx.installer().record(s.name()).map(InstallRecord::version).orElse(null);
        return new ServiceSummary(s.name(), s.type(), ServiceStates.of(actions), pid, knownHealth(s.name(), actions), version,
                s.dependsOn());
    }

    /** The supervisor's monitor when it judges any action (it probes on its own), else the last service.health. */
    private Boolean knownHealth(String name, List<ActionStatus> actions) {
        List<Boolean> judged = actions.stream().map(ActionStatus::healthy).filter(java.util.Objects::nonNull).toList();
        return judged.isEmpty() ? lastHealthy.get(name) : Boolean.valueOf(!judged.contains(Boolean.FALSE));
    }

    /** A service's direct dependencies and dependents: what a batch must not reorder around it. Empty for an unknown name. */
    public Set<String> related(String name) {
        return registry.find(name).map(s -> {
            Set<String> out = new HashSet<>(s.dependsOn());
            registry.dependents(name).forEach(d -> out.add(d.name()));
            return out;
        }).orElse(Set.of());
    }

    public CreateResult create(TransientDefinition definition, boolean start, Duration timeout) {
        return transients.create(definition, start, timeout);
    }

    public DeleteResult delete(String name, boolean purgeBinaries, boolean cascade) {
        return removal.delete(name, purgeBinaries, cascade);
    }

    public Map<String, Object> inspect(String name) {
        HeroService s = registry.get(name);
        return inspector.inspect(s, status(name), operations.query(name, 5), lastChange.get(name));
    }

    public StatusReport status(String name) {
        registry.get(name);
        List<ActionStatus> actions = ctx.supervisor().status(name);
        return new StatusReport(name, ServiceStates.of(actions), actions);
    }

    public HealthReport health(String name) {
        HeroService s = registry.get(name);
        var probed = new LinkedHashMap<HealthCheck, HealthResult>();
        for (HealthCheck c : s.healthChecks(ctx)) probed.put(c, prober.probe(c));
        // the supervisor's monitor shows these too, so an action turns ready as soon as anyone has seen it answer
        ctx.supervisor().recordHealth(name, probed);
        List<HealthResult> checks = List.copyOf(probed.values());
        boolean ok = checks.stream().allMatch(HealthResult::ok);
        Boolean before = lastHealthy.put(name, ok);
        if (before == null || before != ok) events.publish("health", name, Map.of("ok", ok));
        return new HealthReport(name, ok, checks);
    }

    public BuildResult build(String name, String profile, boolean force) {
        HeroService s = registry.get(name);
        String p = profile == null ? s.buildProfile() : profile;
        return exclusive(name, "build", () -> s.build(ctx, p, force));
    }

    /** op (may be null) is the running operation the download progress events name. */
    public InstallResult install(String name, InstallMode mode, String version, boolean force, RunningOperation op) {
        HeroService s = registry.get(name);
        Ctx reporting = reporting(name, op);
        return exclusive(name, "install", () -> s.install(reporting, mode, version, force));
    }

    /** With dependencies: the ones not running are started first (each waits until healthy), then this one. */
    public StartResult start(String name, boolean wait, Duration timeout, boolean withDependencies) {
        HeroService s = registry.get(name);
        List<String> deps = withDependencies ? walk.startDependencies(s, timeout) : List.of();
        StartResult r = exclusive(name, "start", () -> startLocked(s, wait, timeout));
        return new StartResult(r.name(), r.started(), r.alreadyRunning(), r.state(), r.healthy(), deps);
    }

    /** Refused while dependents run, unless cascade, which stops them first (dependents of dependents first). */
    public StopResult stop(String name, boolean cascade) {
        HeroService s = registry.get(name);
        List<String> dependents = walk.stopDependents(s, cascade);
        return exclusive(name, "stop", () -> {
            List<String> wasLive = liveActions(name);
            List<ActionStatus> after = s.stop(ctx);
            lastHealthy.remove(name);
            return new StopResult(name, wasLive, ServiceStates.of(after), dependents);
        });
    }

    Ctx ctx() {
        return ctx;
    }

    /** A process of the service runs (or is about to). */
    boolean isLive(String name) {
        return !liveActions(name).isEmpty();
    }

    /** A dependency is satisfied when it runs and is not known unhealthy, or when its one-shots all succeeded. */
    private boolean satisfied(String dep) {
        List<ActionStatus> actions = ctx.supervisor().status(dep);
        if (actions.stream().anyMatch(ServiceStates::live)) {
            // the monitor's verdict first: it also sees every on-demand probe, and a start that returned on the
            // monitor's word probed nothing itself, so lastHealthy may still hold the "not yet" of its first look
            List<Boolean> verdicts = actions.stream().filter(ServiceStates::live).map(ActionStatus::healthy)
                    .filter(java.util.Objects::nonNull).toList();
            if (!verdicts.isEmpty()) return !verdicts.contains(Boolean.FALSE);
            return !Boolean.FALSE.equals(lastHealthy.get(dep));
        }
        return !actions.isEmpty() && actions.stream().allMatch(a -> a.state() == heromgr.proc.ActionState.EXITED
                && a.lastExit() != null && a.lastExit().success());
    }

    public RestartResult restart(String name, Duration timeout) {
        HeroService s = registry.get(name);
        return exclusive(name, "restart", () -> {
            s.stop(ctx);
            Instant at = Instant.now();
            StartResult started = startLocked(s, true, timeout);
            return new RestartResult(name, started.state(), at, started.healthy());
        });
    }

    public UpgradeResult upgrade(String name, String version, Duration timeout, RunningOperation op) {
        return rollouts.upgrade(registry.get(name), version, timeout, reporting(name, op));
    }

    public DeployResult deploy(String name, InstallMode mode, String version, Duration timeout, RunningOperation op) {
        return rollouts.deploy(registry.get(name), mode, version, timeout, reporting(name, op));
    }

    public Troubleshooting troubleshoot(String name) {
        HeroService s = registry.get(name);
        return new Troubleshooter(this, ctx).diagnose(s, operations.query(name, 50));
    }

    public Verification verify(String name) {
        return BinaryVerifier.verify(registry.get(name), ctx);
    }

    public LogsResult logs(String name, String action, int lines) {
        registry.get(name);
        return new LogsResult(name, ctx.supervisor().tail(name, action, lines));
    }

    /** The log file of one action (the first action when action is null), for following. */
    public Path logFile(String name, String action) {
        HeroService s = registry.get(name);
        var actions = s.actions(ctx);
        return actions.stream().filter(a -> action == null || a.name().equals(action)).findFirst()
                .map(heromgr.proc.ActionSpec::logFile)
                .orElseThrow(() -> new HeroException(ErrorCode.SERVICE_NOT_FOUND, name + " has no action " + action));
    }

    /** A reader of one action's log (the first action's when action is null) from its end on, across rotations. */
    public LogCursor followLog(String name, String action, int lines) {
        return ctx.supervisor().followLog(logFile(name, action), lines);
    }

    /** Starts s; the caller holds s's lock. */
    StartResult startLocked(HeroService s, boolean wait, Duration timeout) {
        // a delete may have run while this start waited for the lock: never spawn a forgotten service
        if (registry.find(s.name()).orElse(null) != s) throw new HeroException(ErrorCode.SERVICE_NOT_FOUND, "no such service: " + s.name());
        for (String dep : s.dependsOn()) {
            if (!satisfied(dep)) {
                throw new HeroException(ErrorCode.DEPENDENCY_NOT_RUNNING, s.name() + " depends on " + dep
                        + ", which is not running and healthy (" + ServiceStates.of(ctx.supervisor().status(dep)) + ")");
            }
        }
        List<String> before = liveActions(s.name());
        List<ActionStatus> after;
        try {
            after = s.start(ctx);
        } catch (SupervisorException e) {
            throw new HeroException(ErrorCode.START_FAILED, s.name() + ": " + e.getMessage(), null, e);
        }
        List<String> started = new ArrayList<>();
        List<String> already = new ArrayList<>();
        for (ActionStatus a : after) (before.contains(a.name()) ? already : started).add(a.name());
        // the new pids are on disk before anyone hears "started": a daemon killed right after must adopt, not duplicate
        if (!started.isEmpty()) ctx.supervisor().awaitPersisted();
        Boolean healthy = lastHealthy.get(s.name());
        if (wait && !started.isEmpty()) healthy = new ReadinessWait(this, s, ctx).await(timeout);
        return new StartResult(s.name(), started, already, ServiceStates.of(ctx.supervisor().status(s.name())), healthy, List.of());
    }

    /** Where transient services run when they name no working directory. */
    public Path home() {
        return ctx.paths().home();
    }

    void forgetRuntime(String name) {
        lastHealthy.remove(name);
    }

    List<String> liveActions(String name) {
        return ctx.supervisor().status(name).stream().filter(ServiceStates::live).map(ActionStatus::name).toList();
    }

    /** Runs body holding the service's lock: one changing operation per service at a time, in arrival order. */
    <T> T exclusive(String name, String op, Supplier<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock(true));
        lock.lock();
        long t0 = System.nanoTime();
        try {
            T result = body.get();
            // recorded under the lock: the order of these is the order the operations took effect
            lastChange.put(name, new Results.LastChange(op, Instant.now()));
            log.info("{} {}: ok in {} ms", op, name, (System.nanoTime() - t0) / 1_000_000);
            return result;
        } catch (RuntimeException e) {
            log.warn("{} {}: failed in {} ms: {}", op, name, (System.nanoTime() - t0) / 1_000_000, e.getMessage());
            throw e;
        } finally {
            lock.unlock();
        }
    }
}
