package heromgr.server;

import heromgr.fs.JsonCodec;
import heromgr.manager.ServiceManager;
import heromgr.manager.ServiceRegistry;
import heromgr.proc.EmbeddedSupervisor;
import heromgr.proc.ProcessSupervisor;
import heromgr.rpc.Dispatcher;
import heromgr.rpc.JsonRpcProcessor;
import heromgr.rpc.OpenRpcContract;
import heromgr.rpc.ServiceMethods;
import heromgr.service.BinaryInstaller;
import heromgr.service.CargoBuild;
import heromgr.service.Ctx;
import heromgr.service.HeroPaths;
import heromgr.service.HeroService;
import heromgr.services.Services;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The daemon: wires supervisor, services, manager, JSON-RPC and the Jetty server on service.sock.
 * {@link #run} is the foreground process (`heromgr daemon`); {@link #start} gives tests the same daemon in-process.
 */
public final class Daemon implements AutoCloseable {
    private final Server server;
    private final ProcessSupervisor supervisor;
    private final Path socket;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Daemon(Server server, ProcessSupervisor supervisor, Path socket) {
        this.server = server;
        this.supervisor = supervisor;
        this.socket = socket;
    }

    /**
     * Runs the daemon in the foreground until SIGTERM/SIGINT; returns the process exit code.
     * @param home explicit HERO_HOME (null: from the environment)
     * @param socket explicit socket path (null: $HERO_SOCKET_DIR/heromgr/service.sock)
     */
    public static int run(Path home, Path socket) {
        HeroPaths paths = HeroPaths.fromEnvironment(System.getenv(), home);
        System.setProperty("HEROMGR_LOG_DIR", paths.daemonLogs().toString());
        Logger log = LoggerFactory.getLogger(Daemon.class);
        Daemon daemon;
        try {
            daemon = start(paths, socket, Services.all(), System.getenv());
        } catch (IllegalStateException | IllegalArgumentException | IOException e) {
            System.err.println("heromgr: " + e.getMessage());
            return 1;
        }
        for (String sig : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> {
                log.info("SIG{} received: shutting down", sig);
                daemon.close();
            });
        }
        daemon.awaitStop();
        log.info("stopped");
        return 0;
    }

    /** Starts a daemon with these services; it serves until {@link #close()}. */
    public static Daemon start(HeroPaths paths, Path socketOverride, List<HeroService> services, Map<String, String> env)
            throws IOException {
        Logger log = LoggerFactory.getLogger(Daemon.class);
        Path socket = socketOverride != null ? socketOverride.toAbsolutePath() : paths.managerSocket();
        ServiceRegistry registry = ServiceRegistry.of(services);
        SocketFile.claim(socket);
        ProcessSupervisor supervisor = new EmbeddedSupervisor();
        var ctx = new Ctx(paths, supervisor, new CargoBuild(paths.state(), env), new BinaryInstaller(paths), env, appHome());
        var manager = ServiceManager.open(registry, ctx);
        var contract = OpenRpcContract.load(JsonCodec.MAPPER);
        var rpc = new JsonRpcProcessor(JsonCodec.MAPPER, new Dispatcher(contract, ServiceMethods.table(manager, contract)),
                manager::related);

        var threads = new QueuedThreadPool();
        threads.setName("heromgr-http");
        // handlers block (builds take minutes): each request gets its own virtual thread
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        var server = new Server(threads);
        var http = new HttpConfiguration();
        http.setSendServerVersion(false);
        var connector = new PeerCheckingConnector(server, PeerPolicy.sameUserOrRoot(), new HttpConnectionFactory(http));
        connector.setUnixDomainPath(socket);
        server.addConnector(connector);
        server.setHandler(new ApiHandler(JsonCodec.MAPPER, rpc, contract.raw(), version(), socket.toString()));
        try {
            server.start();
            SocketFile.restrict(socket);
        } catch (Exception e) {
            supervisor.close(false);
            throw new IOException("cannot serve on " + socket + ": " + e.getMessage(), e);
        }
        log.info("heromgr {} serving on {} (home {})", version(), socket, paths.home());
        return new Daemon(server, supervisor, socket);
    }

    public Path socket() {
        return socket;
    }

    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops serving and removes the socket. Managed services are stopped too: until re-adoption after a daemon
     * restart exists, a service left running would be invisible to the next daemon.
     */
    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) return;
        try {
            server.stop();
        } catch (Exception e) {
            LoggerFactory.getLogger(Daemon.class).warn("error while stopping the server: {}", e.toString());
        }
        supervisor.close(true);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the next daemon replaces a stale socket file anyway
        }
        stopped.countDown();
    }

    public static String version() {
        String v = Daemon.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Where heromgr is installed (the checkout holding target/ and examples/): bundled examples are found there. */
    static Path appHome() {
        String override = System.getProperty("heromgr.app.home");
        if (override != null) return Path.of(override);
        try {
            Path code = Path.of(Daemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().getParent().toAbsolutePath();
        } catch (URISyntaxException e) {
            return Path.of("").toAbsolutePath();
        }
    }
}
