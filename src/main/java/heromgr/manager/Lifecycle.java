package heromgr.manager;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.manager.Results.StartResult;
import heromgr.proc.ActionStatus;
import heromgr.proc.ServiceSpec;
import heromgr.proc.SupervisorException;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The core every operation on a service goes through: its lock (one changing operation per service at a time, in
 * arrival order; reads never wait), its start and stop, and whether it runs. The operations (dependency walks,
 * rollouts, removal, transient services, troubleshooting) are built on this, never on the manager's face.
 * A service is reached only through its own steps (start, stop, status, probe, logs), never the supervisor directly.
 */
final class Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final ServiceRegistry registry;
    private final Ctx ctx;
    private final ServiceHealth health;
    private final EventBus events;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Results.LastChange> lastChange = new ConcurrentHashMap<>();

    Lifecycle(ServiceRegistry registry, Ctx ctx, ServiceHealth health, EventBus events) {
        this.registry = registry;
        this.ctx = ctx;
        this.health = health;
        this.events = events;
    }

    Ctx ctx() {
        return ctx;
    }

    ServiceHealth health() {
        return health;
    }

    /** Runs body holding the service's lock, recording no operation: for a clean-up that may find nothing to do. */
    <T> T whileLocked(String name, Supplier<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock(true));
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
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

    Optional<Results.LastChange> lastChange(String name) {
        return Optional.ofNullable(lastChange.get(name));
    }

    List<ActionStatus> status(HeroService s) {
        return s.status(ctx);
    }

    /**
     * The spec a supervisor adopts a forgotten run of the service into; empty when no such service is registered, or
     * when its class fails to build one (logged: one broken class must not keep the daemon from starting).
     */
    Optional<ServiceSpec> specToAdopt(String name) {
        return registry.find(name).flatMap(s -> {
            try {
                return Optional.of(s.spec(ctx));
            } catch (RuntimeException e) {
                log.error("service {}: its class could not build the spec to adopt its running processes: {}", name, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** A process of the service runs (or is about to); false for a name no longer registered. */
    boolean isLive(String name) {
        return registry.find(name).map(s -> s.status(ctx).stream().anyMatch(ServiceStates::live)).orElse(false);
    }

    /**
     * Starts s and, when wait, waits until it is healthy; the caller holds s's lock. Refused when a dependency
     * cannot be relied on, and when s was deleted while this start waited for the lock.
     */
    StartResult start(HeroService s, boolean wait, Duration timeout) {
        // a delete may have run while this start waited for the lock: never spawn a forgotten service
        requireRegistered(s);
        requireDependencies(s);
        List<String> before = liveNames(s.status(ctx));
        List<ActionStatus> after;
        try {
            after = s.start(ctx);
        } catch (SupervisorException e) {
            throw new ApiException(ErrorCode.START_FAILED, s.name() + ": " + e.getMessage(), null, e);
        }
        List<String> started = new ArrayList<>();
        List<String> already = new ArrayList<>();
        for (ActionStatus a : after) (before.contains(a.name()) ? already : started).add(a.name());
        // the new pids are on disk before anyone hears "started": a daemon killed right after must adopt, not duplicate.
        // Inside a batch wave run with deferred persistence (see DeferredPersistence) the wave waits once, at its end
        if (!started.isEmpty()) DeferredPersistence.awaitPersisted(ctx.supervisor());
        if (wait && !started.isEmpty()) {
            List<ActionStatus> ready = new ReadinessWait(s, ctx, health, events).await(timeout);
            return new StartResult(s.name(), started, already, ServiceStates.of(ready), true, List.of(), false, null);
        }
        return new StartResult(s.name(), started, already, ServiceStates.of(after), health.verdict(s.name(), after), List.of(), false, null);
    }

    /** SERVICE_NOT_FOUND when s is no longer the service registered under its name: a delete ran while the caller waited for the lock. */
    void requireRegistered(HeroService s) {
        if (registry.find(s.name()).orElse(null) != s) throw new ApiException(ErrorCode.SERVICE_NOT_FOUND, "no such service: " + s.name());
    }

    /** Watches s, just started without a wait, for window: START_FAILED if a process dies in it (see ReadinessWait.settle). */
    List<ActionStatus> settle(HeroService s, Duration window) {
        return new ReadinessWait(s, ctx, health, events).settle(window);
    }

    private void requireDependencies(HeroService s) {
        for (String dep : s.dependsOn()) {
            List<ActionStatus> actions = registry.get(dep).status(ctx);
            if (!health.satisfies(dep, actions)) {
                throw new ApiException(ErrorCode.DEPENDENCY_NOT_RUNNING, s.name() + " depends on " + dep
                        + ", which is not running and healthy (" + ServiceStates.of(actions) + ")");
            }
        }
    }

    /** Stops s (a no-op when nothing runs); the caller holds s's lock. */
    Stopped stop(HeroService s) {
        List<String> wasLive = liveNames(s.status(ctx));
        List<ActionStatus> after = s.stop(ctx);
        // stopped is on disk before anyone hears it: a daemon killed right after must not restart it by its policy
        if (!wasLive.isEmpty()) DeferredPersistence.awaitPersisted(ctx.supervisor());
        health.forget(s.name());
        return new Stopped(wasLive, after);
    }

    /** After a delete's stop: the supervisor drops s's runs and counters, so a service made again under the name starts afresh. */
    void forget(HeroService s) {
        ctx.supervisor().forget(s.name());
    }

    /** What a stop found running, and the actions as it left them. */
    record Stopped(List<String> wasLive, List<ActionStatus> after) {
    }

    private static List<String> liveNames(List<ActionStatus> actions) {
        return actions.stream().filter(ServiceStates::live).map(ActionStatus::name).toList();
    }
}
