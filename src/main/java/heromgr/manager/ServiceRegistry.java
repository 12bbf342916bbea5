package heromgr.manager;

import heromgr.fs.HeroPaths;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.service.HeroService;
import heromgr.service.ServiceInstance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The services the daemon manages. Class-defined ones are checked once at start-up (names well-formed and
 * unique, every dependency registered) and never change; transient ones come and go at run time.
 * Reads are lock-free: the whole table is an immutable snapshot, swapped by one change at a time, because
 * service.status and service.list are hot paths and changes are rare.
 */
public final class ServiceRegistry {
    /** Names become path segments (sockets, logs, bin/): only this shape is ever accepted. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** A service name, or name@instance for a named instance of a multi-instance class. */
    public static final Pattern NAME_OR_INSTANCE = Pattern.compile("[a-z][a-z0-9_]{0,63}(@[a-z][a-z0-9_]{0,63})?");

    /**
     * byName, and the same services sorted by name and the dependency graph, each built at its first use and kept with
     * the table it describes: a batch of 1000 creates makes 1000 tables, and sorting each (or building its graph) made
     * the batch quadratic; list() and a batch of 1000 stops build them once.
     */
    private static final class Snapshot {
        final Map<String, HeroService> byName;
        /**
         * Each name that others depend on, with those others (sorted): kept up to date change by change, so the many
         * services nobody depends on are answered without the graph, and a create or delete copies only this small map.
         */
        final Map<String, List<String>> dependents;
        // a race builds two equal values: harmless, and no lock on the hot path
        private volatile List<HeroService> sorted;
        private volatile DependencyGraph graph;

        private Snapshot(Map<String, HeroService> byName, Map<String, List<String>> dependents) {
            this.byName = byName;
            this.dependents = dependents;
        }

        /** @param byName a map nobody else holds: it becomes the snapshot's, unmodifiable */
        static Snapshot of(Map<String, HeroService> byName) {
            var dependents = new HashMap<String, List<String>>();
            for (HeroService s : byName.values()) addDependent(dependents, s);
            return new Snapshot(Collections.unmodifiableMap(byName), dependents);
        }

        /** This table with s added (byName: a copy nobody else holds, s in it already). */
        Snapshot with(Map<String, HeroService> byName, HeroService s) {
            if (s.dependsOn().isEmpty()) return new Snapshot(Collections.unmodifiableMap(byName), dependents);
            var next = new HashMap<>(dependents);
            addDependent(next, s);
            return new Snapshot(Collections.unmodifiableMap(byName), next);
        }

        /** This table without s (byName: a copy nobody else holds, s removed from it already). */
        Snapshot without(Map<String, HeroService> byName, HeroService s) {
            if (s.dependsOn().isEmpty() && !dependents.containsKey(s.name())) return new Snapshot(Collections.unmodifiableMap(byName), dependents);
            var next = new HashMap<>(dependents);
            next.remove(s.name());
            for (String d : s.dependsOn()) {
                var rest = next.getOrDefault(d, List.of()).stream().filter(n -> !n.equals(s.name())).toList();
                if (rest.isEmpty()) next.remove(d);
                else next.put(d, rest);
            }
            return new Snapshot(Collections.unmodifiableMap(byName), next);
        }

        private static void addDependent(Map<String, List<String>> dependents, HeroService s) {
            for (String d : s.dependsOn()) {
                var names = new ArrayList<>(dependents.getOrDefault(d, List.of()));
                if (!names.contains(s.name())) names.add(s.name());
                names.sort(null);
                dependents.put(d, List.copyOf(names));
            }
        }

        Map<String, HeroService> byName() {
            return byName;
        }

        List<HeroService> sorted() {
            List<HeroService> s = sorted;
            if (s == null) sorted = s = byName.values().stream().sorted(Comparator.comparing(HeroService::name)).toList();
            return s;
        }

        DependencyGraph graph() {
            DependencyGraph g = graph;
            if (g == null) graph = g = new DependencyGraph(sorted());
            return g;
        }
    }

    private final AtomicReference<Snapshot> snapshot;
    /**
     * Changes take turns: each copies the table once (a compare-and-set loop would copy it again on every lost race,
     * and 16 creates of one batch race all the time).
     */
    private final Object changes = new Object();
    /** Transient services a delete is removing (guarded by changes): a new service may not depend on one, it would dangle. */
    private final Set<String> leaving = new HashSet<>();

    private ServiceRegistry(Map<String, HeroService> byName) {
        this.snapshot = new AtomicReference<>(Snapshot.of(new HashMap<>(byName)));
    }

    /** Replaces the table by change's result (the same snapshot: no change); returns the table it replaced. */
    private Snapshot change(UnaryOperator<Snapshot> change) {
        synchronized (changes) {
            Snapshot before = snapshot.get();
            snapshot.set(change.apply(before));
            return before;
        }
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
        change(current -> {
            if (current.byName().containsKey(service.name())) {
                String kind = current.byName().get(service.name()) instanceof TransientService ? "a transient" : "a class-defined";
                throw new ApiException(ErrorCode.SERVICE_EXISTS, "service already exists: " + service.name() + " is " + kind + " service");
            }
            for (String dep : service.dependsOn()) {
                if (!current.byName().containsKey(dep)) {
                    throw new ApiException(ErrorCode.SERVICE_NOT_FOUND, service.name() + ": depends_on names unknown service " + dep);
                }
                if (leaving.contains(dep)) {
                    throw new ApiException(ErrorCode.SERVICE_NOT_FOUND, service.name() + ": depends_on names " + dep + ", which is being deleted");
                }
            }
            var next = new HashMap<>(current.byName());
            next.put(service.name(), service);
            return current.with(next, service);
        });
    }

    /**
     * Adds a named instance of a class (made by {@link InstanceCatalog}), or answers the one registered under its name
     * already: of two racing first starts of one instance both get the same object.
     */
    HeroService registerInstance(HeroService instance) {
        synchronized (changes) {
            change(current -> {
                if (current.byName().containsKey(instance.name())) return current;
                var next = new HashMap<>(current.byName());
                next.put(instance.name(), instance);
                return current.with(next, instance);
            });
            return snapshot.get().byName().get(instance.name());
        }
    }

    /**
     * Forgets a transient service or a named instance; class-defined services are code and stay. Returns whether it
     * was removed.
     */
    public boolean unregister(String name) {
        Snapshot before = change(current -> {
            HeroService gone = current.byName().get(name);
            if (!removable(gone)) return current;
            var next = new HashMap<>(current.byName());
            next.remove(name);
            return current.without(next, gone);
        });
        return removable(before.byName().get(name));
    }

    /**
     * Marks a transient service as being deleted, unless a service depends on it: from then until {@link #stayed}
     * or its unregister, no new service may name it in depends_on. False (nothing marked) when one depends on it.
     */
    boolean leave(String name) {
        synchronized (changes) {
            if (snapshot.get().dependents.containsKey(name)) return false;
            leaving.add(name);
            return true;
        }
    }

    /** Ends what {@link #leave} began: the service is gone, or its delete failed and it stays. */
    void stayed(String name) {
        synchronized (changes) {
            leaving.remove(name);
        }
    }

    private static boolean removable(HeroService s) {
        return s instanceof TransientService || s != null && !s.name().equals(s.baseName());
    }

    /** The services that name this one in depends_on, directly. */
    public List<HeroService> dependents(String name) {
        Snapshot now = snapshot.get();
        return now.dependents.getOrDefault(name, List.of()).stream().map(now.byName()::get).toList();
    }
}
