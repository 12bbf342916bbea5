package heromgr.manager;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.manager.Results.DeleteResult;
import heromgr.service.HeroService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * service.delete: stops a service and forgets it. A transient service loses its definition too and is gone; a
 * class-defined one is code, so it stays registered (the answer lists it as kept) and only its runtime state goes
 * (and, when asked, its installed binaries). A named instance (hero_codescalers@b) is forgotten like a transient
 * service; its binaries are its class's, so they stay.
 */
final class ServiceRemoval {
    private final Lifecycle lifecycle;
    private final ServiceRegistry registry;
    private final TransientStore store;
    private final InstanceCatalog instances;

    ServiceRemoval(Lifecycle lifecycle, ServiceRegistry registry, TransientStore store, InstanceCatalog instances) {
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.store = store;
        this.instances = instances;
    }

    DeleteResult delete(String name, boolean purgeBinaries, boolean cascade) {
        HeroService target = registry.get(name);
        if (purgeBinaries && instances.isInstance(target)) {
            throw new ApiException(ErrorCode.INVALID_PARAMS, name + " shares its binaries with every instance of " + target.baseName()
                    + ": delete it without purge_binaries (purge them by deleting " + target.baseName() + ")");
        }
        if (!cascade) refuseIfDependents(target);
        List<HeroService> order = cascade ? dependentsFirst(target) : List.of(target);
        List<String> removed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<Path> purged = new ArrayList<>();
        for (HeroService s : order) {
            boolean forgotten = s instanceof TransientService || instances.isInstance(s);
            Optional<List<Path>> done = lifecycle.exclusive(s.name(), "delete", () -> removeOne(s, purgeBinaries && s == target));
            // a delete that queued behind another one removed nothing: only the one that did says so
            if (done.isEmpty() && s == target) throw new ApiException(ErrorCode.SERVICE_NOT_FOUND, "no such service: " + name);
            if (done.isEmpty()) continue;
            purged.addAll(done.get());
            (forgotten ? removed : kept).add(s.name());
        }
        return new DeleteResult(name, removed, kept, purged);
    }

    /** A running dependent would lose its dependency; a transient dependent of a transient would dangle. */
    private void refuseIfDependents(HeroService target) {
        for (HeroService d : registry.dependents(target.name())) {
            boolean running = lifecycle.isLive(d.name());
            if (running || target instanceof TransientService) {
                String why = running ? " is running and depends on " : " depends on ";
                throw new ApiException(ErrorCode.DEPENDENTS_RUNNING, d.name() + why + target.name() + ": delete it first or pass cascade",
                        Map.of("dependents", registry.dependents(target.name()).stream().map(HeroService::name).toList()), null);
            }
        }
    }

    /** Post-order over the dependents graph: every service comes after all the services depending on it. */
    private List<HeroService> dependentsFirst(HeroService target) {
        Set<HeroService> ordered = new LinkedHashSet<>();
        visit(target, ordered, new LinkedHashSet<>());
        return List.copyOf(ordered);
    }

    private void visit(HeroService s, Set<HeroService> ordered, Set<HeroService> onPath) {
        if (ordered.contains(s) || !onPath.add(s)) return;
        for (HeroService d : registry.dependents(s.name())) visit(d, ordered, onPath);
        onPath.remove(s);
        ordered.add(s);
    }

    /**
     * Stop first, then the definition file, then the registry entry: a failure midway leaves a stopped service that
     * is still listed (and still on disk), never a file that brings back a service the API no longer shows.
     * Empty when s was deleted already, while this delete waited for its lock.
     */
    private Optional<List<Path>> removeOne(HeroService s, boolean purge) {
        if (registry.find(s.name()).orElse(null) != s) return Optional.empty();
        if (s instanceof TransientService) {
            // a dependent created since the check above (or, with cascade, since its dependents went) would dangle
            if (!registry.leave(s.name())) refuseIfDependents(s);
            try {
                lifecycle.stop(s);
                lifecycle.forget(s);
                store.delete(s.name());
                registry.unregister(s.name());
            } finally {
                registry.stayed(s.name());
            }
        } else {
            lifecycle.stop(s);
            lifecycle.forget(s);
            if (instances.isInstance(s)) instances.forget(s);
        }
        return Optional.of(purge ? lifecycle.ctx().installer().purge(s.baseName()) : List.of());
    }
}
