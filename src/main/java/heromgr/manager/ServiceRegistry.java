package heromgr.manager;

import heromgr.fs.HeroPaths;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.service.HeroService;
import heromgr.service.ServiceInstance;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The services the daemon manages. Class-defined ones are checked once at start-up (names well-formed and
 * unique, every dependency registered) and never change; transient ones come and go at run time.
 * Reads are lock-free: the whole table is an immutable snapshot swapped by compare-and-set, because
 * service.status and service.list are hot paths and changes are rare.
 */
public final class ServiceRegistry {
    /** Names become path segments (sockets, logs, bin/): only this shape is ever accepted. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** A service name, or name@instance for a named instance of a multi-instance class. */
    public static final Pattern NAME_OR_INSTANCE = Pattern.compile("[a-z][a-z0-9_]{0,63}(@[a-z][a-z0-9_]{0,63})?");

    /**
     * byName and the same services sorted by name, built together so list() never sorts; the dependency graph is
     * built at its first use and kept with the table it describes, so a batch of 1000 stops builds it once, not 1000 times.
     */
    private static final class Snapshot {
        final Map<String, HeroService> byName;
        final List<HeroService> sorted;
        private volatile DependencyGraph graph;   // a race builds two equal graphs: harmless, and no lock on the hot path

        private Snapshot(Map<String, HeroService> byName) {
            this.byName = Map.copyOf(byName);
            this.sorted = byName.values().stream().sorted(Comparator.comparing(HeroService::name)).toList();
        }

        static Snapshot of(Map<String, HeroService> byName) {
            return new Snapshot(byName);
        }

        Map<String, HeroService> byName() {
            return byName;
        }

        List<HeroService> sorted() {
            return sorted;
        }

        DependencyGraph graph() {
            DependencyGraph g = graph;
            if (g == null) graph = g = new DependencyGraph(sorted);
            return g;
        }
    }

    private final AtomicReference<Snapshot> snapshot;

    private ServiceRegistry(Map<String, HeroService> byName) {
        this.snapshot = new AtomicReference<>(Snapshot.of(byName));
    }

    /** @throws IllegalArgumentException naming the offending service when the list is inconsistent */
    public static ServiceRegistry of(List<HeroService> services) {
        Map<String, HeroService> map = new LinkedHashMap<>();
        for (HeroService s : services) {
            String name = s.name();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("service class " + s.getClass().getName() + " has an invalid name '" + name
                        + "' (expected " + NAME.pattern() + ")");
            }
            if (name.equals(HeroPaths.DAEMON)) {
                throw new IllegalArgumentException("service class " + s.getClass().getName() + ": the name " + name + " is the daemon's own");
            }
            HeroService clash = map.putIfAbsent(name, s);
            if (clash != null) {
                throw new IllegalArgumentException("duplicate service name '" + name + "': " + clash.getClass().getName()
                        + " and " + s.getClass().getName());
            }
        }
        for (HeroService s : services) {
            for (String dep : s.dependsOn()) {
                if (!map.containsKey(dep)) {
                    throw new IllegalArgumentException("service '" + s.name() + "' depends on unknown service '" + dep + "'");
                }
            }
        }
        List<String> cycle = new DependencyGraph(services).cycle();
        if (!cycle.isEmpty()) throw new IllegalArgumentException("dependency cycle: " + String.join(" -> ", cycle));
        return new ServiceRegistry(map);
    }

    /** @throws ApiException SERVICE_NOT_FOUND, or INVALID_PARAMS for an instance name (name@instance) of a class without instances */
    public HeroService get(String name) {
        HeroService s = snapshot.get().byName().get(name);
        if (s != null) return s;
        if (name.indexOf(ServiceInstance.SEPARATOR) < 0) throw new ApiException(ErrorCode.SERVICE_NOT_FOUND, "no such service: " + name);
        ServiceInstance wanted = InstanceCatalog.parse(name);
        HeroService of = InstanceCatalog.instanceClass(this, wanted);
        throw new ApiException(ErrorCode.SERVICE_NOT_FOUND, "no such instance: " + name + " (an instance of " + of.name()
                + " comes into being at its first start: heromgr service start " + name + ")");
    }

    public Optional<HeroService> find(String name) {
        return Optional.ofNullable(snapshot.get().byName().get(name));
    }

    /** Every service, sorted by name. */
    public List<HeroService> all() {
        return snapshot.get().sorted();
    }

    /** The dependency graph of the services registered now. */
    public DependencyGraph graph() {
        return snapshot.get().graph();
    }

    /**
     * Adds a transient service, atomically with respect to other registrations: of two racing creates of one
     * name exactly one wins.
     * @throws ApiException SERVICE_EXISTS when the name is taken, SERVICE_NOT_FOUND naming an unknown dependency
     */
    public void register(TransientService service) {
        if (service.name().equals(HeroPaths.DAEMON)) {
            throw new ApiException(ErrorCode.SERVICE_EXISTS, "service already exists: " + HeroPaths.DAEMON
                    + " is the daemon itself (its socket folder $HERO_SOCKET_DIR/heromgr and log folder var/log/heromgr); choose another name");
        }
        snapshot.updateAndGet(current -> {
            if (current.byName().containsKey(service.name())) {
                String kind = current.byName().get(service.name()) instanceof TransientService ? "a transient" : "a class-defined";
                throw new ApiException(ErrorCode.SERVICE_EXISTS, "service already exists: " + service.name() + " is " + kind + " service");
            }
            for (String dep : service.dependsOn()) {
                if (!current.byName().containsKey(dep)) {
                    throw new ApiException(ErrorCode.SERVICE_NOT_FOUND, service.name() + ": depends_on names unknown service " + dep);
                }
            }
            var next = new HashMap<>(current.byName());
            next.put(service.name(), service);
            return Snapshot.of(next);
        });
    }

    /**
     * Adds a named instance of a class (made by {@link InstanceCatalog}), or answers the one registered under its name
     * already: of two racing first starts of one instance both get the same object.
     */
    HeroService registerInstance(HeroService instance) {
        Snapshot after = snapshot.updateAndGet(current -> {
            if (current.byName().containsKey(instance.name())) return current;
            var next = new HashMap<>(current.byName());
            next.put(instance.name(), instance);
            return Snapshot.of(next);
        });
        return after.byName().get(instance.name());
    }

    /**
     * Forgets a transient service or a named instance; class-defined services are code and stay. Returns whether it
     * was removed.
     */
    public boolean unregister(String name) {
        Snapshot before = snapshot.getAndUpdate(current -> {
            if (!removable(current.byName().get(name))) return current;
            var next = new HashMap<>(current.byName());
            next.remove(name);
            return Snapshot.of(next);
        });
        return removable(before.byName().get(name));
    }

    private static boolean removable(HeroService s) {
        return s instanceof TransientService || s != null && !s.name().equals(s.baseName());
    }

    /** The services that name this one in depends_on, directly. */
    public List<HeroService> dependents(String name) {
        Snapshot now = snapshot.get();
        return now.graph().directDependents(name).stream().map(now.byName()::get).toList();
    }
}
