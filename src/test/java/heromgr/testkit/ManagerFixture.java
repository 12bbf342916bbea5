package heromgr.testkit;

import heromgr.fs.HeroPaths;
import heromgr.manager.EventBus;
import heromgr.manager.OperationLog;
import heromgr.manager.Results.CreateResult;
import heromgr.manager.Results.ServiceSummary;
import heromgr.manager.ServiceManager;
import heromgr.manager.ServiceRegistry;
import heromgr.manager.TransientDefinition;
import heromgr.service.BinaryInstaller;
import heromgr.service.CargoBuild;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A {@link ServiceManager} over an {@link InMemorySupervisor}, for unit tests of the manager's logic: everything
 * else is real and small (paths, installer, operation log, transient store on a temp dir of its own). No release
 * download: a test's service class installs from files of its own. The one place tests build a manager, so a change
 * of its construction is made here. Register it as an instance field, {@code @RegisterExtension final ManagerFixture
 * fx = new ManagerFixture(services…);}: each test gets a fresh one, and its temp dir is removed after the test.
 */
public final class ManagerFixture implements AfterEachCallback {
    public final InMemorySupervisor supervisor = new InMemorySupervisor();
    public final HeroPaths paths;
    public final ServiceManager manager;

    public ManagerFixture(HeroService... services) {
        Path dir;
        try {
            dir = Files.createTempDirectory("heromgr-manager-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        paths = new HeroPaths(dir, dir.resolve("var/sockets"), dir.resolve("code"));
        Map<String, String> env = Map.of();
        var ctx = new Ctx(paths, supervisor, new CargoBuild(paths.state(), env), new BinaryInstaller(paths), null, env, dir);
        manager = ServiceManager.open(ServiceRegistry.of(List.of(services)), ctx, new OperationLog(paths.state().resolve("ops"), 100),
                new EventBus());
    }

    /** What `heromgr run` asks a create to watch a command without a health check for. */
    public static final Duration RUN_SETTLE = Duration.ofMillis(300);

    /** service.create as `heromgr run` sends it, of a transient service (its argv, /bin/true, is never run here). */
    public CreateResult create(String name, List<String> dependsOn, boolean start, Duration timeout) {
        var definition = new TransientDefinition(name, List.of("/bin/true"), Map.of(), null, null, dependsOn, null, Instant.now());
        return manager.create(definition, start, RUN_SETTLE, timeout);
    }

    /** The services the manager lists, by name. */
    public List<String> listed() {
        return manager.list().stream().map(ServiceSummary::name).toList();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        FileTree.delete(paths.home());
    }
}
