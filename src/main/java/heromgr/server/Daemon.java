package heromgr.server;

import heromgr.bundle.Replacement;
import heromgr.fs.AtomicFile;
import heromgr.fs.CrashPoint;
import heromgr.fs.ConfinedHomes;
import heromgr.fs.HeroPaths;
import heromgr.fs.ProgramJar;
import heromgr.fs.JsonCodec;
import heromgr.manager.EventBus;
import heromgr.manager.OperationLog;
import heromgr.manager.ServiceManager;
import heromgr.manager.ServiceRegistry;
import heromgr.manager.TransientStore;
import heromgr.metrics.DaemonMetrics;
import heromgr.proc.embedded.EmbeddedSupervisor;
import heromgr.proc.ProcessSupervisor;
import heromgr.rpc.CallMeter;
import heromgr.rpc.Dispatcher;
import heromgr.rpc.JsonRpcProcessor;
import heromgr.rpc.OpenRpcContract;
import heromgr.rpc.LoopbackListener;
import heromgr.rpc.ServiceMethods;
import heromgr.service.BinaryInstaller;
import heromgr.service.CargoBuild;
import heromgr.service.Ctx;
import heromgr.service.ForgeClient;
import heromgr.service.HeroService;
import heromgr.service.ReleaseInstall;
import heromgr.server.web.LoopbackAddress;
import heromgr.services.Services;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daemon: wires supervisor, services, manager, JSON-RPC and the Jetty server on service.sock.
 * {@link #run} is the foreground process (`heromgr daemon`); {@link #start} gives tests the same daemon in-process.
 */
public final class Daemon implements AutoCloseable {
    /** How many operations the log keeps (older ones and their output files are dropped). */
    static final int OPERATIONS_KEPT = OperationLog.KEPT;
    /** The supervisor's runtime state under paths.state(): what a restarted daemon adopts. */
    public static final String RUNTIME_STATE = "runtime.json";
    /** Jetty platform threads kept when idle: the acceptor and the selector. */
    static final int PLATFORM_THREADS_KEPT = 2;
    /** How deep the state folder's files lie: var/heromgr/previous/<svc>/<file>. */
    private static final int STATE_DEPTH = 3;
    /** How long the daemon waits for its own socket to answer before it would tell systemd READY=1. */
    private static final Duration SYSTEMD_READY_LIMIT = Duration.ofSeconds(60);
    /** How long the set-up after the first answer waits for that answer at most (see AfterFirstAnswer). */
    private static final Duration CHORE_LIMIT = Duration.ofSeconds(1);
    /** How long a close waits for Jetty to stop (see stopServer). */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(15);

    private final Server server;
    private final ProcessSupervisor supervisor;
    private final EventBus events;
    private final LogFollow logFollow;
    private final Path socket;
    private final Endpoints endpoints;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final boolean stopServicesOnExit;

    private Daemon(Server server, ProcessSupervisor supervisor, EventBus events, LogFollow logFollow, Path socket,
                   Endpoints endpoints, boolean stopServicesOnExit) {
        this.endpoints = endpoints;
        this.server = server;
        this.events = events;
        this.logFollow = logFollow;
        this.supervisor = supervisor;
        this.socket = socket;
        this.stopServicesOnExit = stopServicesOnExit;
    }

    /**
     * Runs the daemon in the foreground until SIGTERM/SIGINT; returns the process exit code.
     * @param home explicit HERO_HOME (null: from the environment)
     * @param socket explicit socket path (null: $HERO_SOCKET_DIR/heromgr/service.sock)
     * @param stopServicesOnExit stop the managed services on SIGTERM/SIGINT; by default they keep running and the
     *        next daemon adopts them
     * @param http HOST:PORT of a loopback listener for the Admin UI (null: none, unless $HEROMGR_HTTP asks)
     * @param groups who besides the daemon's user and root may connect (operators, viewers)
     */
    public static int run(Path home, Path socket, boolean stopServicesOnExit, String http, AccessGroups groups) {
        HeroPaths paths = HeroPaths.fromEnvironment(System.getenv(), home);
        System.setProperty(DaemonLogging.LOG_DIR, paths.daemonLogs().toString());
        Logger log = LoggerFactory.getLogger(Daemon.class);
        // after the logging's set-up, which the log folder's property above decides (the schema library logs too)
        OpenRpcContract.loadAhead();
        Daemon daemon;
        try {
            var env = new HashMap<>(System.getenv());
            if (http != null) env.put(LoopbackAddress.VARIABLE, LoopbackAddress.parse(http).toString());
            ConfinedHomes.confine(paths.home());
            HomeLock.holdForThisProcess(paths, socket != null ? socket.toAbsolutePath() : paths.managerSocket());
            daemon = start(paths, socket, Services.all(), env, stopServicesOnExit, groups);
        } catch (IllegalStateException | IllegalArgumentException | IOException e) {
            System.err.println("heromgr: " + e.getMessage());
            return 1;
        }
        // only the daemon process: an in-process daemon (tests) shares its heap with the rest of the JVM
        HeapTidy.startForThisJvm();
        Optional<SystemdNotify> systemd = SystemdNotify.fromEnvironment(System.getenv(), ProcessHandle.current().pid());
        for (String sig : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> {
                systemd.ifPresent(SystemdNotify::stopping);
                if (stopServicesOnExit && new Replacement(paths).isFor(ProcessHandle.current().pid())) {
                    log.info("SIG{} received: shutting down to be replaced (self upgrade): the services keep running", sig);
                    daemon.close(false);
                } else {
                    log.info("SIG{} received: shutting down", sig);
                    daemon.close();
                }
            });
        }
        systemd.ifPresent(n -> n.readyWhenAnswering(daemon.socket(), SYSTEMD_READY_LIMIT));
        daemon.awaitStop();
        systemd.ifPresent(SystemdNotify::close);
        log.info("stopped");
        return 0;
    }

    /** Starts a daemon with these services that stops them when closed (what an in-process daemon wants). */
    public static Daemon start(HeroPaths paths, Path socketOverride, List<HeroService> services, Map<String, String> env)
            throws IOException {
        return start(paths, socketOverride, services, env, true);
    }

    /**
     * Starts a daemon with these services; it serves until {@link #close()}. Processes a previous daemon on the same
     * HERO_HOME left running are adopted (state in paths.state()/runtime.json).
     */
    public static Daemon start(HeroPaths paths, Path socketOverride, List<HeroService> services, Map<String, String> env,
                               boolean stopServicesOnExit) throws IOException {
        return start(paths, socketOverride, services, env, stopServicesOnExit, AccessGroups.NONE);
    }

    /** With these groups let in besides the daemon's user and root: operators, and viewers who may only read. */
    public static Daemon start(HeroPaths paths, Path socketOverride, List<HeroService> services, Map<String, String> env,
                               boolean stopServicesOnExit, AccessGroups groups) throws IOException {
        Logger log = LoggerFactory.getLogger(Daemon.class);
        var policy = PeerPolicy.of(groups);
        Path socket = socketOverride != null ? socketOverride.toAbsolutePath() : paths.managerSocket();
        var limits = ConnectionLimits.fromEnvironment(env);
        Path adminSocket = Endpoints.adminSocket(socket);
        // Jetty's objects (~50 ms of a cold JVM's CPU, its class initialisation) are made beside the rest of the set-up;
        // nothing is bound until the server starts below, so a start refused on the way leaves them to the collector
        var listenersAhead = StartedAhead.start("heromgr-http-setup", () -> listeners(socket, adminSocket, policy, limits));
        ServiceRegistry registry = ServiceRegistry.of(services);
        ConfinedHomes.confine(paths.home());
        if (!paths.socketDir().startsWith(paths.home())) ConfinedHomes.confine(paths.socketDir());
        SocketFile.claim(socket);
        sweepLeftovers(paths, log);
        var embedded = new EmbeddedSupervisor(paths.state().resolve(RUNTIME_STATE));
        ProcessSupervisor supervisor = embedded;
        var installer = new BinaryInstaller(paths);
        installer.undoInterrupted();
        var releases = new ReleaseInstall(ForgeClient.fromEnvironment(env), installer);
        var ctx = new Ctx(paths, supervisor, new CargoBuild(paths.state(), env), installer, releases, env, appHome());
        var events = new EventBus();
        var manager = ServiceManager.open(registry, ctx, new OperationLog(paths.state().resolve("ops"), OPERATIONS_KEPT), events);
        var contract = OpenRpcContract.shared();
        var metrics = new DaemonMetrics(manager, supervisor, contract.methodNames(), version());
        // the endpoints come after the API handler they front; no call arrives before the server starts, once they are set
        var endpointsWired = new AtomicReference<Endpoints>();
        LoopbackListener listener = address -> endpointsWired.get().open(address);
        var dispatcher = new Dispatcher(contract, ServiceMethods.table(manager, contract, listener));
        var rpc = new JsonRpcProcessor(JsonCodec.MAPPER, dispatcher, manager::related, metrics.rpcMeter(), manager::deferredPersistence);
        // only reads: no state writes to defer
        FirstCallPrimer.start(new JsonRpcProcessor(JsonCodec.MAPPER, dispatcher, manager::related, CallMeter.NONE));
        Listeners listeners = listenersAhead.join();
        var server = listeners.server();
        var connector = listeners.connector();
        var deadline = listeners.deadline();
        var admin = listeners.admin();
        var handlers = listeners.handlers();
        SocketFile.claim(adminSocket);
        var logFollow = new LogFollow(manager);
        var facts = new DaemonFacts(version(), paths.home().toString(), socket, adminSocket, SystemdService.of(env).orElse(null));
        var api = new ApiHandler(JsonCodec.MAPPER, rpc, new EventStream(events, JsonCodec.MAPPER), logFollow, metrics,
                deadline, contract, facts, version(), socket.toString());
        Endpoints endpoints;
        AfterFirstAnswer afterFirstAnswer;
        try {
            endpoints = Endpoints.wire(server, connector, admin, paths.state(), env, limits.maxConnections(), api, facts, handlers);
            endpointsWired.set(endpoints);
            // the native set-up and the definitions' writer, ahead of the first spawn and create, not beside the first call
            afterFirstAnswer = new AfterFirstAnswer(server.getHandler(), () -> embedded.prepareInBackground(TransientStore::prepare));
            server.setHandler(afterFirstAnswer);
            RpcConnection.Factory.serveOn(connector, rpc, deadline, handlers, afterFirstAnswer);
            server.start();
            SocketFile.restrict(socket, policy.groupIds());
            SocketFile.restrict(adminSocket, policy.groupIds());
        } catch (Exception e) {
            supervisor.close(false);
            try {
                server.stop();
            } catch (Exception alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw new IOException("cannot serve on " + socket + ": " + e.getMessage(), e);
        }
        endpoints.announce();
        log.info("heromgr {} serving on {} (home {}; let in: {})", version(), socket, paths.home(), policy.describe());
        afterFirstAnswer.bound(connector.getScheduler(), CHORE_LIMIT);
        return new Daemon(server, supervisor, events, logFollow, socket, endpoints, stopServicesOnExit);
    }

    /** Jetty's server and its two Unix connectors, made but not started; the handlers' executor it hands requests to. */
    private record Listeners(Server server, PeerCheckingConnector connector, PeerCheckingConnector admin,
                             RequestDeadline deadline, ExecutorService handlers) {
    }

    private static Listeners listeners(Path socket, Path adminSocket, PeerPolicy policy, ConnectionLimits limits) {
        var threads = new QueuedThreadPool();
        threads.setName("heromgr-http");
        // handlers block (builds take minutes): each request but a quick read gets its own virtual thread (QuickReadPath)
        var handlers = Executors.newVirtualThreadPerTaskExecutor();
        threads.setVirtualThreadsExecutor(handlers);
        // The platform threads only accept and select. Jetty's default keeps 8 alive and reserves more, each
        // ~100 KiB of touched stack for the daemon's whole life; more are started under load as needed.
        threads.setMinThreads(PLATFORM_THREADS_KEPT);
        threads.setReservedThreads(0);
        var server = new Server(threads);
        var http = new HttpConfiguration();
        http.setSendServerVersion(false);
        var connector = unixConnector(server, socket, policy, limits, http);
        var deadline = new RequestDeadline(limits.requestDeadline(), connector.getScheduler());
        connector.addBean(deadline);
        server.addConnector(connector);
        var admin = unixConnector(server, adminSocket, policy, limits, http);
        admin.addBean(deadline);
        return new Listeners(server, connector, admin, deadline, handlers);
    }

    private static PeerCheckingConnector unixConnector(Server server, Path path, PeerPolicy policy, ConnectionLimits limits,
                                                       HttpConfiguration http) {
        var connector = new PeerCheckingConnector(server, policy, limits.maxConnections(),
                new HttpConnectionFactory(http));
        connector.setUnixDomainPath(path);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        return connector;
    }

    /**
     * Temp files of atomic writes a killed daemon left in its folders: none is a finished file, and once this daemon
     * holds the socket nobody else writes there. State folders hold files one or two levels down (previous/svc/).
     */
    private static void sweepLeftovers(HeroPaths paths, Logger log) throws IOException {
        var removed = new ArrayList<Path>(AtomicFile.sweepLeftovers(paths.state(), STATE_DEPTH));
        removed.addAll(AtomicFile.sweepLeftovers(paths.bin(), 1));
        if (!removed.isEmpty()) log.warn("removed {} temp files an interrupted daemon left: {}", removed.size(), removed);
        // a test hook; read here so a misspelt point fails the start, not a write deep inside
        if (CrashPoint.armed() != null) log.warn("{} is set: this daemon stops dead at {}", CrashPoint.VARIABLE, CrashPoint.armed().wireName());
    }

    public Path socket() {
        return socket;
    }

    /** The Admin UI's socket, beside service.sock. */
    public Path adminSocket() {
        return endpoints.adminSocket();
    }

    /** The loopback listener's URL (without the token), if the daemon was asked for one. */
    public Optional<String> httpUrl() {
        return Optional.ofNullable(endpoints.httpUrl());
    }

    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops serving and removes the socket. Managed services keep running (each leads its own session, so it
     * outlives the JVM) and the next daemon adopts them, unless this daemon was started to stop them on exit.
     */
    @Override
    public void close() {
        close(stopServicesOnExit);
    }

    /** Closes, stopping the managed services or leaving them running whatever the daemon was started with. */
    private synchronized void close(boolean stopServices) {
        if (stopped.getCount() == 0) return;
        events.close();
        logFollow.close();
        stopServer();
        supervisor.close(stopServices);
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(endpoints.adminSocket());
        } catch (IOException ignored) {
            // the next daemon replaces a stale socket file anyway
        }
        stopped.countDown();
    }

    /**
     * Jetty's stop, bounded: a connection whose write to a reader that stopped reading is still pending can leave
     * its selector waiting on itself while it closes (seen once in a test: ManagedSelector.doStop waiting forever on
     * a cancelled SSE send). The services, the state and the socket files must not wait on that: after STOP_LIMIT the
     * close goes on, and the stuck threads go with the JVM.
     */
    private void stopServer() {
        var log = LoggerFactory.getLogger(Daemon.class);
        Thread stopping = Thread.ofPlatform().daemon().name("heromgr-http-stop").start(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                log.warn("error while stopping the server: {}", e.toString());
            }
        });
        try {
            if (!stopping.join(STOP_LIMIT)) log.warn("the HTTP server did not stop within {} s; going on without it", STOP_LIMIT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static String version() {
        String v = Daemon.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Where heromgr is installed (the checkout holding target/ and examples/): bundled examples are found there. */
    static Path appHome() {
        String override = System.getProperty("heromgr.app.home");
        if (override != null) return Path.of(override);
        return ProgramJar.location().map(jar -> jar.getParent().getParent()).orElse(Path.of("").toAbsolutePath());
    }
}
