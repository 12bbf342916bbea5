package heromgr.testkit;

import heromgr.fs.HeroPaths;
import heromgr.proc.cgroup.ControlGroups;
import heromgr.server.Daemon;
import heromgr.service.HeroService;
import heromgr.services.Services;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Real heromgr daemons on temporary homes: in this JVM ({@link #start}) or as a separate `heromgr daemon` process
 * ({@link #startProcess}). Register it as a field: {@code @RegisterExtension final DaemonExtension daemons = new
 * DaemonExtension();} cleans up after each test, a static field after the class. A class whose tests all talk to one
 * daemon registers {@link #withDaemon()} (or a variant) and takes it from {@link #daemon()}: started before each test,
 * or before the class's tests from a static field. Cleaning up, whatever the test did:
 * <ol>
 *   <li>every daemon it made is closed (in this JVM: stopping its services; a separate JVM: SIGKILL);</li>
 *   <li>every process those daemons spawned is killed by pid: each spawn carries HEROMGR_ACTION naming its daemon's
 *       state file, which lies under one of this extension's temp dirs, so even a service whose daemon was killed,
 *       or a helper that left its group, is found; so are the pids the test handed to {@link #killAtEnd};</li>
 *   <li>the test's own {@link #atEnd} steps run (last registered first);</li>
 *   <li>the temp dirs are removed.</li>
 * </ol>
 */
public final class DaemonExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private static final Duration BOUND = Duration.ofSeconds(10);
    /** The variable every spawn of a daemon carries (see docs/architecture.md: adoption). */
    private static final String SPAWN_MARKER = "HEROMGR_ACTION=";

    /** A cleanup step of the test's own. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private final List<TestDaemon> inProcess = new CopyOnWriteArrayList<>();
    private final List<DaemonProcess> separate = new CopyOnWriteArrayList<>();
    private final List<Path> dirs = new CopyOnWriteArrayList<>();
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();
    private final Deque<Step> steps = new ConcurrentLinkedDeque<>();
    private volatile boolean perClass;
    private volatile Path root;
    /** The daemon this extension starts before the tests; null when it only makes daemons on demand. */
    private final TestDaemon prepared;

    /** Makes daemons when a test asks. */
    public DaemonExtension() {
        prepared = null;
    }

    private DaemonExtension(List<HeroService> services, Map<String, String> extraEnv, boolean ownCargoTarget) {
        prepared = prepare(services, extraEnv, ownCargoTarget);
    }

    /** With a daemon in this JVM running the class-defined services, started before the tests. */
    public static DaemonExtension withDaemon() {
        return withDaemon(Services.all(), Map.of());
    }

    /** With a daemon in this JVM running these services, with these variables added to its environment. */
    public static DaemonExtension withDaemon(List<HeroService> services, Map<String, String> extraEnv) {
        return new DaemonExtension(services, extraEnv, false);
    }

    /** The class-defined services, with cargo building into {@link TestDaemon#cargoTarget()} (removed with the home). */
    public static DaemonExtension withBuildingDaemon() {
        return withBuildingDaemon(Map.of());
    }

    /** As {@link #withBuildingDaemon()}, with these variables added to the daemon's environment. */
    public static DaemonExtension withBuildingDaemon(Map<String, String> extraEnv) {
        return new DaemonExtension(Services.all(), extraEnv, true);
    }

    /** The daemon started before the tests (of a {@link #withDaemon()} extension). */
    public TestDaemon daemon() {
        if (prepared == null) throw new IllegalStateException("made by new DaemonExtension(): it starts daemons only when asked");
        return prepared;
    }

    /** A daemon in this JVM with the class-defined services, started now. */
    public TestDaemon start() throws IOException {
        return start(Services.all(), Map.of());
    }

    /** A daemon in this JVM with these services, CODEROOT under its home and these variables added to its environment. */
    public TestDaemon start(List<HeroService> services, Map<String, String> extraEnv) throws IOException {
        return prepare(services, extraEnv, false).start();
    }

    private TestDaemon prepare(List<HeroService> services, Map<String, String> extraEnv, boolean ownCargoTarget) {
        Path home = tempDir("heromgr-test-");
        Path code = home.resolve("code");
        var env = new HashMap<>(System.getenv());
        env.put("CODEROOT", code.toString());
        if (ownCargoTarget) env.put("CARGO_TARGET_DIR", home.resolve(TestDaemon.CARGO_TARGET).toString());
        env.putAll(extraEnv);
        var daemon = new TestDaemon(new HeroPaths(home, home.resolve("var/sockets"), code), services, Map.copyOf(env));
        inProcess.add(daemon);
        return daemon;
    }

    /** A temp dir for the test's own files and for the homes of separate daemons; removed at the end. */
    public synchronized Path root() {
        if (root == null) root = tempDir("heromgr-it-");
        return root;
    }

    /** `heromgr daemon --home home` in a JVM of its own, started and serving. */
    public DaemonProcess startProcess(Path home) throws IOException {
        return startProcess(home, Map.of());
    }

    /** With these variables added to the daemon's environment. */
    public DaemonProcess startProcess(Path home, Map<String, String> env) throws IOException {
        return launch(home, env).awaitServing();
    }

    /** Started, but not waited for: it may fail to start, which is what the test looks at. */
    public DaemonProcess launch(Path home) throws IOException {
        return launch(home, Map.of());
    }

    /** With these variables added to its environment; started, not waited for. */
    public DaemonProcess launch(Path home, Map<String, String> env) throws IOException {
        return launch(home, env, List.of());
    }

    /** With these daemon options (`heromgr daemon --home HOME OPTIONS`) too. */
    public DaemonProcess launch(Path home, Map<String, String> env, List<String> options) throws IOException {
        if (dirs.stream().noneMatch(home::startsWith)) throw new IllegalArgumentException(home + " is not under " + root());
        DaemonProcess d = DaemonProcess.launch(home, env, options);
        separate.add(d);
        return d;
    }

    /** A process of the test's own (or one it saw), killed after the test whatever happened. */
    public long killAtEnd(long pid) {
        if (pid > 0) pids.add(pid);
        return pid;
    }

    /** A cleanup of the test's own, run once every process is gone and before the temp dirs are removed. */
    public void atEnd(Step step) {
        steps.push(step);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        // only an extension in a static field is there before the class's tests: it cleans up after all of them
        perClass = true;
        if (prepared != null) prepared.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass && prepared != null) prepared.start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) cleanUp();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        cleanUp();
    }

    private void cleanUp() throws Exception {
        var failures = new Failures();
        for (TestDaemon d : inProcess.reversed()) failures.run(d::close);
        for (DaemonProcess d : separate.reversed()) failures.run(d::close);
        failures.run(this::killSpawned);
        // before the test's own steps: one may unmount the file system a daemon kept its state on
        for (Path dir : dirs) failures.run(() -> removeControlGroups(dir));
        while (!steps.isEmpty()) failures.run(steps.pop());
        for (Path dir : dirs) failures.run(() -> FileTree.delete(dir));
        inProcess.clear();
        separate.clear();
        dirs.clear();
        pids.clear();
        root = null;
        failures.rethrow();
    }

    /** SIGKILL to every process of our daemons and of the test, then waits until none is left. */
    private void killSpawned() {
        Set<Long> victims = ConcurrentHashMap.newKeySet();
        victims.addAll(pids);
        for (Path dir : dirs) victims.addAll(ProcFs.withEnvironmentEntry(SPAWN_MARKER + dir + "/"));
        kill(victims);
        await().atMost(BOUND).until(() -> victims.stream().noneMatch(ProcFs::running));
    }

    /**
     * The cgroups of every daemon that kept its state under dir: a daemon killed with SIGKILL leaves its leaves
     * behind, and they would stay in the machine's cgroup tree after the test (dozens per suite run).
     */
    private static void removeControlGroups(Path dir) throws IOException {
        try (Stream<Path> files = Files.find(dir, 8, (file, attributes) -> file.getFileName().toString().equals(Daemon.RUNTIME_STATE))) {
            files.forEach(ControlGroups::removeEmptyOf);
        }
    }

    private static void kill(Collection<Long> victims) {
        for (long pid : victims) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            dirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every cleanup step runs; the first failure is thrown at the end with the later ones attached. */
    private static final class Failures {
        private Exception first;

        void run(Step step) {
            try {
                step.run();
            } catch (Exception e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }

        void rethrow() throws Exception {
            if (first != null) throw first;
        }
    }
}
