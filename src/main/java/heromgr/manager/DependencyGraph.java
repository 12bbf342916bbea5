package heromgr.manager;

import heromgr.service.HeroService;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dependency graph of the registered services, from each class's {@code dependsOn()}: cycle detection at
 * start-up, the order to start a service's dependencies in (levels of services whose dependencies are all in
 * earlier levels, so each level can start in parallel), and who depends on a service.
 */
public final class DependencyGraph {
    private final Map<String, List<String>> dependsOn = new HashMap<>();
    private final Map<String, Set<String>> dependents = new HashMap<>();
    /** dependents as edge lists, for the walks that go against dependsOn; built once, the graph never changes. */
    private final Map<String, List<String>> reverse = new HashMap<>();

    public DependencyGraph(Collection<HeroService> services) {
        for (HeroService s : services) {
            dependsOn.put(s.name(), List.copyOf(s.dependsOn()));
            dependents.computeIfAbsent(s.name(), n -> new TreeSet<>());
            for (String d : s.dependsOn()) dependents.computeIfAbsent(d, n -> new TreeSet<>()).add(s.name());
        }
        dependents.forEach((k, v) -> reverse.put(k, List.copyOf(v)));
    }

    /** The first cycle found, as a path that starts and ends with the same service; empty when there is none. */
    public List<String> cycle() {
        Map<String, Integer> state = new HashMap<>();   // absent: unvisited, 1: on the current path, 2: done
        for (String start : new TreeSet<>(dependsOn.keySet())) {
            List<String> found = visit(start, state, new ArrayDeque<>());
            if (!found.isEmpty()) return found;
        }
        return List.of();
    }

    private List<String> visit(String node, Map<String, Integer> state, Deque<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) return List.of();
        path.addLast(node);
        if (s != null) {
            List<String> p = new ArrayList<>(path);
            return p.subList(p.indexOf(node), p.size());
        }
        state.put(node, 1);
        for (String d : dependsOn.getOrDefault(node, List.of())) {
            List<String> found = visit(d, state, path);
            if (!found.isEmpty()) return found;
        }
        state.put(node, 2);
        path.removeLast();
        return List.of();
    }

    /**
     * Everything name depends on, transitively, in levels: level 0 depends on nothing in the set, each later
     * level only on earlier ones. name itself is not included.
     */
    public List<List<String>> startLevels(String name) {
        Set<String> closure = new LinkedHashSet<>();
        collect(name, dependsOn, closure);
        closure.remove(name);
        return levels(closure, dependsOn);
    }

    /** Everything that depends on name, transitively, in the order to stop them: dependents of dependents first. */
    public List<List<String>> stopLevels(String name) {
        Set<String> closure = new LinkedHashSet<>();
        collect(name, reverse, closure);
        closure.remove(name);
        return levels(closure, reverse);
    }

    /** The named services (every service when names is empty) with all they depend on, transitively, in start levels. */
    public List<List<String>> upLevels(Collection<String> names) {
        return levels(closure(names, dependsOn), dependsOn);
    }

    /** The named services (every service when names is empty) with all that depends on them, in stop levels: dependents first. */
    public List<List<String>> downLevels(Collection<String> names) {
        return levels(closure(names, reverse), reverse);
    }

    private Set<String> closure(Collection<String> names, Map<String, List<String>> edges) {
        Set<String> closure = new LinkedHashSet<>();
        for (String n : names.isEmpty() ? new TreeSet<>(dependsOn.keySet()) : names) collect(n, edges, closure);
        return closure;
    }

    public Set<String> directDependents(String name) {
        return dependents.getOrDefault(name, Set.of());
    }

    private static void collect(String node, Map<String, List<String>> edges, Set<String> into) {
        if (!into.add(node)) return;
        for (String next : edges.getOrDefault(node, List.of())) collect(next, edges, into);
    }

    /** Kahn's algorithm restricted to the set: a level holds the nodes whose edges all lead to earlier levels. */
    private static List<List<String>> levels(Set<String> nodes, Map<String, List<String>> edges) {
        List<List<String>> out = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (placed.size() < nodes.size()) {
            List<String> level = new ArrayList<>();
            for (String n : nodes) {
                if (placed.contains(n)) continue;
                boolean ready = edges.getOrDefault(n, List.of()).stream().allMatch(e -> !nodes.contains(e) || placed.contains(e));
                if (ready) level.add(n);
            }
            if (level.isEmpty()) throw new IllegalStateException("dependency cycle among " + nodes);
            level.sort(null);
            placed.addAll(level);
            out.add(List.copyOf(level));
        }
        return out;
    }
}
