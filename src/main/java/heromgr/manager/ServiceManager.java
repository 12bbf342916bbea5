package heromgr.manager;

import heromgr.manager.Results.CreateResult;
import heromgr.manager.Results.DeleteResult;
import heromgr.manager.Results.HealthReport;
import heromgr.manager.Results.LogsResult;
import heromgr.manager.Results.RestartResult;
import heromgr.manager.Results.ServiceSummary;
import heromgr.manager.Results.StartResult;
import heromgr.manager.Results.StatusReport;
import heromgr.manager.Results.StopResult;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthProber;
import heromgr.proc.HealthResult;
import heromgr.proc.SupervisorException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
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
    private final ServiceInspector inspector;
    private final TransientCatalog transients;
    private final ServiceRemoval removal;

    /** ctx is null only where nothing runs (a test building the dispatch table). */
    public ServiceManager(ServiceRegistry registry, Ctx ctx) {
        this.registry = registry;
        this.ctx = ctx;
        this.inspector = new ServiceInspector(ctx);
        TransientStore store = ctx == null ? null : new TransientStore(ctx.paths().state());
        this.transients = new TransientCatalog(this, registry, store);
        this.removal = new ServiceRemoval(this, registry, store);
    }

    /** A manager with the transient services created before this daemon started registered again. */
    public static ServiceManager open(ServiceRegistry registry, Ctx ctx) {
        var manager = new ServiceManager(registry, ctx);
        manager.transients.loadStored();
        return manager;
    }

    public List<ServiceSummary> list() {
        return registry.all().stream().map(this::summary).toList();
    }

    private ServiceSummary summary(HeroService s) {
        List<ActionStatus> actions = ctx.supervisor().status(s.name());
        Long pid = actions.stream().filter(ServiceStates::live).map(ActionStatus::pid).filter(p -> p > 0).findFirst().orElse(null);
        String version = s instanceof TransientService ? null : ctx.installer().record(s.name()).map(InstallRecord::version).orElse(null);
        return new ServiceSummary(s.name(), s.type(), ServiceStates.of(actions), pid, lastHealthy.get(s.name()), version, s.dependsOn());
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
        return inspector.inspect(s, status(name));
    }

    public StatusReport status(String name) {
        registry.get(name);
        List<ActionStatus> actions = ctx.supervisor().status(name);
        return new StatusReport(name, ServiceStates.of(actions), actions);
    }

    public HealthReport health(String name) {
        HeroService s = registry.get(name);
        List<HealthResult> checks = s.healthChecks(ctx).stream().map(prober::probe).toList();
        boolean ok = checks.stream().allMatch(HealthResult::ok);
        lastHealthy.put(name, ok);
        return new HealthReport(name, ok, checks);
    }

    public BuildResult build(String name, String profile, boolean force) {
        HeroService s = registry.get(name);
        String p = profile == null ? s.buildProfile() : profile;
        return exclusive(name, "build", () -> s.build(ctx, p, force));
    }

    public InstallResult install(String name, InstallMode mode, boolean force) {
        HeroService s = registry.get(name);
        return exclusive(name, "install", () -> s.install(ctx, mode, force));
    }

    public StartResult start(String name, boolean wait, Duration timeout) {
        HeroService s = registry.get(name);
        return exclusive(name, "start", () -> startLocked(s, wait, timeout));
    }

    public StopResult stop(String name) {
        HeroService s = registry.get(name);
        return exclusive(name, "stop", () -> {
            List<String> wasLive = liveActions(name);
            List<ActionStatus> after = s.stop(ctx);
            lastHealthy.remove(name);
            return new StopResult(name, wasLive, ServiceStates.of(after));
        });
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

    public LogsResult logs(String name, String action, int lines) {
        registry.get(name);
        return new LogsResult(name, ctx.supervisor().tail(name, action, lines));
    }

    private StartResult startLocked(HeroService s, boolean wait, Duration timeout) {
        // a delete may have run while this start waited for the lock: never spawn a forgotten service
        if (registry.find(s.name()).orElse(null) != s) throw new HeroException(ErrorCode.SERVICE_NOT_FOUND, "no such service: " + s.name());
        for (String dep : s.dependsOn()) {
            if (liveActions(dep).isEmpty()) {
                throw new HeroException(ErrorCode.DEPENDENCY_NOT_RUNNING, s.name() + " depends on " + dep + ", which is not running");
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
        Boolean healthy = lastHealthy.get(s.name());
        if (wait && !started.isEmpty()) healthy = new ReadinessWait(this, s, ctx).await(timeout);
        return new StartResult(s.name(), started, already, ServiceStates.of(ctx.supervisor().status(s.name())), healthy);
    }

    /** Where transient services run when they name no working directory. */
    public Path home() {
        return ctx.paths().home();
    }

    Ctx ctx() {
        return ctx;
    }

    void forgetRuntime(String name) {
        lastHealthy.remove(name);
    }

    List<String> liveActions(String name) {
        return ctx.supervisor().status(name).stream().filter(ServiceStates::live).map(ActionStatus::name).toList();
    }

    <T> T exclusive(String name, String op, Supplier<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock(true));
        lock.lock();
        long t0 = System.nanoTime();
        try {
            T result = body.get();
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
