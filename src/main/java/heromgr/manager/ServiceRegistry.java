package heromgr.manager;

import heromgr.service.ErrorCode;
import heromgr.service.HeroException;
import heromgr.service.HeroService;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The services the daemon manages, checked once at start-up: names are well-formed and unique, and every
 * dependency names a registered service. Lookups after that are plain map reads.
 */
public final class ServiceRegistry {
    /** Names become path segments (sockets, logs, bin/): only this shape is ever accepted. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final Map<String, HeroService> byName;

    private ServiceRegistry(Map<String, HeroService> byName) {
        this.byName = byName;
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
        return new ServiceRegistry(Map.copyOf(map));
    }

    public HeroService get(String name) {
        HeroService s = byName.get(name);
        if (s == null) throw new HeroException(ErrorCode.SERVICE_NOT_FOUND, "no such service: " + name);
        return s;
    }

    public Collection<HeroService> all() {
        return byName.values().stream().sorted(java.util.Comparator.comparing(HeroService::name)).toList();
    }
}
