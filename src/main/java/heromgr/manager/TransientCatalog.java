package heromgr.manager;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.AtomicFile;
import heromgr.fs.CrashPoint;
import heromgr.manager.Results.CreateResult;
import heromgr.manager.Results.StartResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Creating transient services, and bringing back the ones created before the daemon (re)started. */
final class TransientCatalog {
    private static final Logger log = LoggerFactory.getLogger(TransientCatalog.class);

    private final Lifecycle lifecycle;
    private final DependencyWalk walk;
    private final ServiceRegistry registry;
    private final TransientStore store;

    TransientCatalog(Lifecycle lifecycle, DependencyWalk walk, ServiceRegistry registry, TransientStore store) {
        this.lifecycle = lifecycle;
        this.walk = walk;
        this.registry = registry;
        this.store = store;
    }

    /**
     * Registers (which reserves the name atomically), persists, then starts unless told not to. A start that
     * fails undoes the whole create: the caller gets the start's error and nothing is left behind.
     * The definition is in place before the spawn (a daemon killed after it leaves the next one both), and on disk
     * before the answer: the fsync of its folder waits until after the start, when the fsyncs of the batch's other
     * creates have usually made it already (a power loss kills the spawned process too, so it needs no earlier fsync).
     */
    CreateResult create(TransientDefinition def, boolean start, Duration settle, Duration timeout) {
        var service = new TransientService(def);
        AtomicFile.FolderSync defined = define(service);
        CrashPoint.CREATE_DEFINED.reach();
        if (!start) {
            defined.await();
            return new CreateResult(def.name(), true, ServiceStates.of(lifecycle.status(service)));
        }
        Path logs = service.logDir(lifecycle.ctx());
        boolean ownLogs = !Files.exists(logs, LinkOption.NOFOLLOW_LINKS);
        try {
            // a service without a health check is ready once it has run settle without dying (zero: once spawned, as systemd-run)
            boolean wait = !service.healthChecks(lifecycle.ctx()).isEmpty();
            walk.startDependencies(service, timeout);
            String state = lifecycle.exclusive(def.name(), "start", () -> {
                StartResult started = lifecycle.start(service, wait, timeout);
                if (wait || settle.isZero()) return started.state();
                return ServiceStates.of(lifecycle.settle(service, settle.compareTo(timeout) < 0 ? settle : timeout));
            });
            defined.await();
            return new CreateResult(def.name(), true, state);
        } catch (RuntimeException e) {
            undo(service, e);
            if (ownLogs) removeLogs(logs, e);
            throw e;
        }
    }

    /**
     * Registers and writes the definition under the name's lock: a delete that found the service registered waits
     * until its file is written, and so removes it too, rather than leave a file of a service gone.
     */
    private AtomicFile.FolderSync define(TransientService service) {
        return lifecycle.whileLocked(service.name(), () -> {
            registry.register(service);
            try {
                return store.save(service.definition());
            } catch (RuntimeException e) {
                registry.unregister(service.name());
                throw e;
            }
        });
    }

    private void undo(TransientService service, RuntimeException cause) {
        try {
            // under the name's lock, and only while this create's service holds the name: a delete may have removed it
            // meanwhile and another create taken the name, whose process, definition and entry are not ours to remove
            lifecycle.whileLocked(service.name(), () -> {
                if (registry.find(service.name()).orElse(null) != service) return null;
                lifecycle.stop(service);
                lifecycle.forget(service);
                store.delete(service.name());
                return registry.unregister(service.name());
            });
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            log.warn("create {}: undoing after a failed start failed too: {}", service.name(), e.getMessage());
        }
    }

    /** The log folder the failed start made: a create that failed leaves nothing behind, a later one starts afresh. */
    private static void removeLogs(Path logs, RuntimeException cause) {
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (NoSuchFileException never) {
            // the start failed before it made the folder
        } catch (IOException e) {
            cause.addSuppressed(e);
            log.warn("create {}: cannot remove its log folder {}: {}", logs.getFileName(), logs, e.getMessage());
        }
    }

    /**
     * Registers every stored definition whose dependencies are known, in dependency order (a definition may
     * depend on another transient one). Those left over name a service that no longer exists: skipped, logged.
     */
    void loadStored() {
        List<TransientDefinition> pending = new ArrayList<>(store.loadAll());
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = pending.removeIf(this::tryRegister);
        }
        for (TransientDefinition def : pending) {
            log.warn("transient service {} not loaded: depends_on {} names a service that does not exist", def.name(), def.dependsOn());
        }
    }

    private boolean tryRegister(TransientDefinition def) {
        if (!def.dependsOn().stream().allMatch(d -> registry.find(d).isPresent())) return false;
        try {
            registry.register(new TransientService(def));
        } catch (ApiException e) {
            if (e.code() != ErrorCode.SERVICE_EXISTS) return false;
            // a class of the same name was added since: the class wins, the stale definition is kept on disk
            log.warn("transient service {} not loaded: {}", def.name(), e.getMessage());
        }
        return true;
    }
}
