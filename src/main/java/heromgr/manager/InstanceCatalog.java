package heromgr.manager;

import heromgr.fs.ConfinedHomes;
import heromgr.fs.FailureCause;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.AtomicFile;
import heromgr.fs.JsonCodec;
import heromgr.service.HeroService;
import heromgr.service.ServiceInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The named instances of multi-instance classes ({@code hero_codescalers@b}): an instance comes into being at its
 * first start, is kept on disk (one file each, $HERO_HOME/var/heromgr/instances/&lt;name&gt;.json, with its number, so
 * its ports stay its own) and is registered again when the daemon starts, so a restarted daemon adopts it.
 */
final class InstanceCatalog {
    private static final Logger log = LoggerFactory.getLogger(InstanceCatalog.class);
    private static final String SUFFIX = ".json";

    /** What is on disk per instance. */
    record Saved(String name, int number) {
    }

    private final ServiceRegistry registry;
    private final Path dir;
    private final Map<String, ServiceInstance> known = new ConcurrentHashMap<>();

    /** stateDir null: nothing is kept (a manager that runs nothing). */
    InstanceCatalog(ServiceRegistry registry, Path stateDir) {
        this.registry = registry;
        this.dir = stateDir == null ? null : stateDir.resolve("instances");
    }

    /** service@instance split and checked: the instance name has the shape of a service name. */
    static ServiceInstance parse(String name) {
        int at = name.indexOf(ServiceInstance.SEPARATOR);
        String service = name.substring(0, at);
        String instance = name.substring(at + 1);
        if (!ServiceRegistry.NAME.matcher(instance).matches()) {
            throw new ApiException(ErrorCode.INVALID_PARAMS, "invalid instance name '" + instance + "' in " + name
                    + ": instance names are lowercase letters, digits and _, start with a letter, at most 64 long");
        }
        return new ServiceInstance(service, instance, 0);
    }

    /** The class an instance name is of; INVALID_PARAMS when that class runs only once. */
    static HeroService instanceClass(ServiceRegistry registry, ServiceInstance wanted) {
        HeroService of = registry.get(wanted.service());
        if (!of.multiInstance()) {
            throw new ApiException(ErrorCode.INVALID_PARAMS, wanted.name() + " names an instance of " + wanted.service()
                    + ", which runs only once: only multi-instance services take @instance");
        }
        return of;
    }

    /** The service to start under this name: registered already, or (an instance name) made, kept and registered now. */
    HeroService forStart(String name) {
        var existing = registry.find(name);
        if (existing.isPresent() || name.indexOf(ServiceInstance.SEPARATOR) < 0) return existing.orElseGet(() -> registry.get(name));
        return create(parse(name));
    }

    private synchronized HeroService create(ServiceInstance wanted) {
        HeroService of = instanceClass(registry, wanted);
        var again = registry.find(wanted.name());
        if (again.isPresent()) return again.get();
        var instance = new ServiceInstance(wanted.service(), wanted.instance(), freeNumber(wanted.service()));
        HeroService made = of.instance(instance);
        if (!made.name().equals(instance.name())) {
            throw new IllegalStateException(of.getClass().getName() + ".instance(" + instance.name() + ") answered a service named " + made.name());
        }
        save(instance);
        known.put(instance.name(), instance);
        return registry.registerInstance(made);
    }

    /** The lowest number from 1 up that no instance of the class has: numbers, and the ports made from them, are never shared. */
    private int freeNumber(String service) {
        Set<Integer> taken = new HashSet<>();
        known.values().stream().filter(i -> i.service().equals(service)).forEach(i -> taken.add(i.number()));
        int n = 1;
        while (taken.contains(n)) n++;
        return n;
    }

    /** Whether s is a named instance this catalog made (one delete forgets). */
    boolean isInstance(HeroService s) {
        return known.containsKey(s.name());
    }

    /** Forgets an instance: its file first, then its registry entry (a failure between leaves it listed, never revived). */
    synchronized void forget(HeroService s) {
        if (dir != null) {
            try {
                ConfinedHomes.refuseLinks(dir);
                Files.deleteIfExists(dir.resolve(s.name() + SUFFIX));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot forget the instance " + s.name() + ": " + e.getMessage(), e);
            }
        }
        known.remove(s.name());
        registry.unregister(s.name());
    }

    private void save(ServiceInstance instance) {
        if (dir == null) return;
        try {
            byte[] json = JsonCodec.MAPPER.writeValueAsBytes(new Saved(instance.name(), instance.number()));
            AtomicFile.write(dir.resolve(instance.name() + SUFFIX), json);
        } catch (IOException e) {
            throw FailureCause.writing(dir.resolve(instance.name() + SUFFIX), e);
        }
    }

    /**
     * Registers every instance kept on disk. One that cannot be read, or whose class is gone or runs only once now,
     * is skipped with a warning: it must not keep the daemon (and every other service) from starting.
     */
    void loadStored() {
        if (dir == null || !Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                if (!f.getFileName().toString().startsWith(".")) load(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private void load(Path f) {
        try {
            Saved saved = JsonCodec.MAPPER.readValue(f.toFile(), Saved.class);
            String expected = f.getFileName().toString().replaceFirst("\\.json$", "");
            if (!expected.equals(saved.name()) || saved.name().indexOf(ServiceInstance.SEPARATOR) < 0) {
                log.warn("skipping instance file {}: its name '{}' does not match the file", f, saved.name());
                return;
            }
            ServiceInstance parsed = parse(saved.name());
            var instance = new ServiceInstance(parsed.service(), parsed.instance(), saved.number());
            HeroService of = instanceClass(registry, instance);
            known.put(instance.name(), instance);
            registry.registerInstance(of.instance(instance));
        } catch (IOException | RuntimeException e) {
            log.warn("skipping instance file {}: {}", f, e.getMessage());
        }
    }
}
