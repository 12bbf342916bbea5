package heromgr.service;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.api.InstallMode;
import heromgr.fs.LogFiles;
import heromgr.fs.LogStream;
import heromgr.fs.TimedLog;
import heromgr.proc.ActionLine;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthPolicy;
import heromgr.proc.HealthResult;
import heromgr.proc.FollowedLog;
import heromgr.proc.LogCursor;
import heromgr.proc.LogRotation;
import heromgr.proc.Reclaim;
import heromgr.proc.ResourceUsage;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One managed service, as code. The defaults are the Hero conventions: a Rust crate in {@code lhumina_code/<svc>}
 * built with cargo, whose binaries by {@link Role} are installed into $HERO_HOME/bin — {@code <svc>} (the CLI,
 * installed, not run), {@code <svc>_server} and {@code <svc>_admin} — each running role one long-running action
 * that reclaims its socket in {@code $HERO_SOCKET_DIR/<svc>/} ({@code rpc.sock}, {@code admin.sock}) and is judged
 * by {@code GET /health} on it. A service with another shape overrides {@link #roles()}; a service with a quirk
 * overrides the method where the quirk lives.
 */
public interface HeroService {

    String name();

    /**
     * The name binaries, builds and the install record go by: name() itself, except for an instance of a
     * multi-instance class ({@code hero_codescalers@b} shares the binaries of hero_codescalers).
     */
    default String baseName() {
        return name();
    }

    /** Whether this class runs as named instances side by side ({@code name@instance}); most services run once. */
    default boolean multiInstance() {
        return false;
    }

    /**
     * This class as one named instance, with its own name, sockets, ports, logs and state; only a class whose
     * multiInstance() is true has instances (the manager never asks another).
     */
    default HeroService instance(ServiceInstance instance) {
        throw new UnsupportedOperationException(name() + " runs only once: it has no instances");
    }

    /** Forge repository, "owner/repo"; its checkout lives at $CODEROOT/owner/repo. The Hero fleet lives under lhumina_code. */
    default String repo() {
        return "lhumina_code/" + baseName();
    }

    default String type() {
        return "rust";
    }

    default String description() {
        return "";
    }

    default List<String> dependsOn() {
        return List.of();
    }

    default Path sourceDir(Ctx ctx) {
        return ctx.paths().codeRoot().resolve(repo());
    }

    default String buildProfile() {
        return "release";
    }

    /** The roles of this service's binaries; the common Hero service has a CLI, a server and an admin UI. */
    default List<Role> roles() {
        return List.of(Role.CLI, Role.SERVER, Role.ADMIN);
    }

    /** The file name of the binary of one role, by the convention ({@code <svc>}, {@code <svc>_server}, ...). */
    default String binary(Role role) {
        return role.binary(baseName());
    }

    /** The binaries this service builds and installs, by file name: one per role. */
    default List<String> binaries() {
        return roles().stream().map(this::binary).toList();
    }

    /** The user its processes run as; the daemon's own user unless a service says otherwise (that needs a root daemon). */
    default String runtimeUser() {
        return System.getProperty("user.name");
    }

    /** runtimeUser() for an action spec: null when it is the daemon's own user, so no setpriv wrapper is needed. */
    private String otherUser() {
        String user = runtimeUser();
        return user == null || user.equals(System.getProperty("user.name")) ? null : user;
    }

    default RestartPolicy restartPolicy() {
        return RestartPolicy.always();
    }

    /**
     * Environment added to the daemon's for every action: HERO_HOME, HERO_SOCKET_DIR, HERO_INSTANCE for a named
     * instance, and the overlays' library path. Values of keys that look secret are redacted in inspect.
     */
    default Map<String, String> env(Ctx ctx) {
        Map<String, String> hero = Map.of(
                "HERO_HOME", ctx.paths().home().toString(),
                "HERO_SOCKET_DIR", ctx.paths().socketDir().toString());
        boolean instance = !name().equals(baseName());
        if (overlays().isEmpty() && !instance) return hero;
        var env = new HashMap<>(hero);
        // which of several instances side by side this is: the binary's socket folder is <svc>@<instance>
        if (instance) env.put("HERO_INSTANCE", name().substring(baseName().length() + 1));
        for (OnnxRuntimeOverlay o : overlays()) env.putAll(o.env(ctx.paths(), ctx.env()));
        return env;
    }

    /**
     * Shared runtime libraries this service loads, installed with it into $HERO_HOME/lib and put on its library path
     * (hero_voice, hero_embedder and hero_editor load the ONNX Runtime); a start without them is refused.
     */
    default List<OnnxRuntimeOverlay> overlays() {
        return List.of();
    }

    /** The folder of this service's sockets: {@code $HERO_SOCKET_DIR/<svc>}. */
    default Path socketDir(Ctx ctx) {
        return ctx.paths().serviceSocketDir(name());
    }

    /** The socket a running role serves (rpc.sock for the server). */
    default Path socket(Ctx ctx, Role role) {
        return socketDir(ctx).resolve(role.socketFile().orElseThrow(() -> new IllegalArgumentException(role + " serves no socket")));
    }

    default Path rpcSocket(Ctx ctx) {
        return socket(ctx, Role.SERVER);
    }

    default List<Path> sockets(Ctx ctx) {
        return roles().stream().filter(Role::runs).flatMap(r -> roleSockets(ctx, r).stream()).toList();
    }

    /** The sockets a running role serves, each reclaimed before it starts and probed with GET /health: its one socket by the convention. */
    default List<Path> roleSockets(Ctx ctx, Role role) {
        return List.of(socket(ctx, role));
    }

    /** The arguments a role's binary is started with; none by the convention. */
    default List<String> args(Ctx ctx, Role role) {
        return List.of();
    }

    /** What a role runs: its binary in $HERO_HOME/bin, then args(ctx, role). */
    default List<String> command(Ctx ctx, Role role) {
        List<String> argv = new ArrayList<>();
        argv.add(ctx.paths().bin().resolve(binary(role)).toString());
        argv.addAll(args(ctx, role));
        return argv;
    }

    /** The loopback TCP ports a role listens on besides its socket: reclaimed before it starts and probed for health. */
    default List<Integer> tcpPorts(Ctx ctx, Role role) {
        return List.of();
    }

    /** How a running role is judged healthy: GET /health on each of roleSockets, a connect to each of tcpPorts; with none, by running. */
    default List<Check> checks(Ctx ctx, Role role) {
        List<Check> checks = new ArrayList<>();
        roleSockets(ctx, role).forEach(socket -> checks.add(new Check.Http(socket)));
        tcpPorts(ctx, role).forEach(port -> checks.add(new Check.Tcp(port)));
        return checks;
    }

    /** The folder its processes run in: $HERO_HOME, unless the service keeps its data elsewhere. */
    default Path workDir(Ctx ctx) {
        return ctx.paths().home();
    }

    /** The signal a stop sends first: SIGTERM unless the program stops cleanly by another. */
    default StopSignal stopSignal() {
        return StopSignal.TERM;
    }

    /** How long a stop waits after stopSignal() before SIGKILL: 10 s unless the program needs longer to save its data. */
    default Duration stopTimeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * Run at each start before anything else: make folders, write configuration, initialise data. A problem refuses
     * the start with an {@link ApiException} (START_FAILED) naming it. Nothing by default; an override calls the
     * default of the interface it implements first.
     */
    default void prepare(Ctx ctx) {
    }

    default Path logDir(Ctx ctx) {
        return ctx.paths().serviceLogs(name());
    }

    /**
     * When each action's log is rotated and how many rotated files are kept (a chatty service may want more, a
     * quiet one less). A service that builds its own actions applies it with {@link ActionSpec#withLogRotation}.
     */
    default LogRotation logRotation() {
        return LogRotation.defaults();
    }

    /** One action per running role, in the order of {@link #roles()}. */
    default List<ActionSpec> actions(Ctx ctx) {
        return roles().stream().filter(Role::runs).map(role -> action(ctx, role)).toList();
    }

    /**
     * The long-running action of one role, running command(ctx, role) in workDir(ctx). It reclaims its sockets (and
     * TCP ports) before it starts (a stale file is removed, an earlier instance of the same binary still holding it is
     * stopped, a stranger fails the start), is judged healthy by checks(ctx, role) and stopped by stopSignal().
     */
    default ActionSpec action(Ctx ctx, Role role) {
        List<HealthCheck> checks = checks(ctx, role).stream().map(HeroService::healthCheck).toList();
        return ActionSpec.process(role.action(), command(ctx, role), env(ctx), workDir(ctx), logDir(ctx).resolve(role.action() + ".log"))
                .withRestart(restartPolicy())
                .withStop(stopSignal().signal(), stopTimeout())
                .withUser(otherUser(), null)
                .withReclaim(new Reclaim(roleSockets(ctx, role), tcpPorts(ctx, role)))
                .withLogRotation(logRotation())
                .withHealth(checks, HealthPolicy.defaults());
    }

    /** A check in the supervisor's terms. */
    private static HealthCheck healthCheck(Check check) {
        return switch (check) {
            case Check.Http http -> HealthCheck.HttpUnix.of(http.socket());
            case Check.Tcp tcp -> HealthCheck.Tcp.of(tcp.port());
            case Check.Exec exec -> new HealthCheck.Exec(exec.argv(), exec.timeout());
        };
    }

    /** What service.health probes: by default every check the actions declare (the supervisor probes them too). */
    default List<HealthCheck> healthChecks(Ctx ctx) {
        return actions(ctx).stream().flatMap(a -> a.health().stream()).distinct().toList();
    }

    /** A missing checkout is cloned from the forge first (see SourceCheckout); an existing one is built as it is. */
    default BuildResult build(Ctx ctx, String profile, boolean force) {
        SourceCheckout.of(ctx).ensure(baseName(), repo(), sourceDir(ctx));
        return ctx.cargo().build(baseName(), sourceDir(ctx), profile, binaries(), force);
    }

    /** Release assets are named {@code <binary>-<suffix>}. */
    default String assetSuffix() {
        return "linux-amd64-musl";
    }

    /**
     * Mode source installs exactly what the last successful build produced; mode download installs the release
     * with this tag (the latest when version is null) from the forge. Either way the service's overlays are installed
     * first, unless in place already.
     */
    default InstallResult install(Ctx ctx, InstallMode mode, String version, boolean force) {
        // overlays first: one refused leaves bin/ as it was
        for (OnnxRuntimeOverlay o : overlays()) o.install(ctx, name());
        return installBinaries(ctx, mode, version, force);
    }

    private InstallResult installBinaries(Ctx ctx, InstallMode mode, String version, boolean force) {
        if (mode == InstallMode.DOWNLOAD) {
            return ctx.releases().install(baseName(), repo(), binaries(), assetSuffix(), version, force);
        }
        BuildResult built = ctx.cargo().lastBuild(baseName()).orElseThrow(() -> new ApiException(
                ErrorCode.INSTALL_FAILED, name() + ": nothing built yet: run `heromgr service build " + name() + "` first"));
        List<Path> files = built.binaries().stream().map(Artifact::path).toList();
        return ctx.installer().install(baseName(), mode, files, ctx.cargo().crateVersion(sourceDir(ctx)), force);
    }

    /**
     * service.verify: whether what runs is what install put in place. By default the binaries in $HERO_HOME/bin against
     * the install record (and the source checkout, and the overlays); a service whose files live elsewhere says how.
     */
    default Verification verify(Ctx ctx) {
        return BinaryVerifier.verify(this, ctx);
    }

    /*
     * The steps below are the one door between a service and its supervisor: the manager starts, stops, reads,
     * probes and tails a service only through them, so a class that overrides one is obeyed everywhere.
     */

    /** What the supervisor runs for this service: also how a daemon whose state file was damaged adopts its runs. */
    default ServiceSpec spec(Ctx ctx) {
        return new ServiceSpec(name(), actions(ctx));
    }

    /** prepare(ctx), then the actions, once the overlays are in place and no log path runs through a link. */
    default List<ActionStatus> start(Ctx ctx) {
        prepare(ctx);
        for (OnnxRuntimeOverlay o : overlays()) o.requireInstalled(ctx.paths(), name());
        ServiceSpec spec = spec(ctx);
        for (ActionSpec action : spec.actions()) {
            ctx.paths().linkOnTheWay(action.logFile()).ifPresent(link -> {
                throw new ApiException(ErrorCode.START_FAILED, name() + ": action " + action.name() + ": " + link
                        + " on the way to its log is a symbolic link; heromgr does not follow links under " + ctx.paths().home());
            });
        }
        return ctx.supervisor().start(spec);
    }

    default List<ActionStatus> stop(Ctx ctx) {
        return ctx.supervisor().stop(name());
    }

    /** Each action as the supervisor sees it now; empty for a service never started. */
    default List<ActionStatus> status(Ctx ctx) {
        return ctx.supervisor().status(name());
    }

    /** Probes every health check now; the actions that carry a check show its result too. */
    default List<HealthResult> probe(Ctx ctx) {
        return ctx.supervisor().probe(name(), healthChecks(ctx));
    }

    /** What one action's processes use now (CPU time, memory); empty when it does not run. */
    default Optional<ResourceUsage> usage(Ctx ctx, String action) {
        return ctx.supervisor().usage(name(), action);
    }

    /** The last lines of one action's log (every action's when action is null), oldest first. */
    default List<String> logs(Ctx ctx, String action, int lines) {
        if (action != null) logFile(ctx, action);   // an action it does not have is a mistake to name, not an empty log
        return ctx.supervisor().tail(name(), action, lines);
    }

    /** The lines of one action's log (every action's when action is null) with times and streams, oldest first. */
    default List<ActionLine> timedLogs(Ctx ctx, String action, TimedLog.Query query) {
        if (action != null) logFile(ctx, action);
        return ctx.supervisor().read(name(), action, query);
    }

    /**
     * Readers of one action's log (every action's when action is null), each stream of each from its end on, across
     * rotations; actions sharing a log file get one reader of it.
     */
    default List<FollowedLog> followLogs(Ctx ctx, String action) {
        if (action != null) logFile(ctx, action);
        var out = new ArrayList<FollowedLog>();
        var seen = new HashSet<Path>();
        for (ActionSpec a : actions(ctx)) {
            if ((action != null && !a.name().equals(action)) || !seen.add(a.logFile().toAbsolutePath().normalize())) continue;
            for (LogStream s : LogStream.values()) {
                out.add(new FollowedLog(a.name(), s, ctx.supervisor().followLog(LogFiles.of(a.logFile(), s), 0)));
            }
        }
        return out;
    }

    /** A reader of one action's log (the first action's when action is null) from its end on, across rotations. */
    default LogCursor followLog(Ctx ctx, String action, int lines) {
        return ctx.supervisor().followLog(logFile(ctx, action), lines);
    }

    /** The log of the action of that name (the first action's when null); an error naming the actions there are if none. */
    private Path logFile(Ctx ctx, String action) {
        List<ActionSpec> actions = actions(ctx);
        return actions.stream().filter(a -> action == null || a.name().equals(action)).findFirst().map(ActionSpec::logFile)
                .orElseThrow(() -> new ApiException(ErrorCode.SERVICE_NOT_FOUND, name() + " has no action " + action + " (its actions: "
                        + String.join(", ", actions.stream().map(ActionSpec::name).toList()) + ")"));
    }
}
