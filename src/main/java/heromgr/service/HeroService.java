package heromgr.service;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.api.InstallMode;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthPolicy;
import heromgr.proc.HealthResult;
import heromgr.proc.LogCursor;
import heromgr.proc.LogRotation;
import heromgr.proc.Reclaim;
import heromgr.proc.ResourceUsage;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One managed service, as code. The defaults are the common Hero case: a Rust crate built with cargo, one
 * {@code <svc>_server} binary installed into $HERO_HOME/bin, run as one long-running process that serves
 * HTTP on {@code $HERO_SOCKET_DIR/<svc>/rpc.sock} and answers {@code GET /health}. A service with a quirk
 * overrides the method where the quirk lives.
 */
public interface HeroService {

    String name();

    /** Forge repository, "owner/repo"; its checkout lives at $CODEROOT/owner/repo. */
    String repo();

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

    /** The binaries this service builds and installs, by file name. */
    default List<String> binaries() {
        return List.of(name() + "_server");
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

    /** Environment added to the daemon's for every action. Values of keys that look secret are redacted in inspect. */
    default Map<String, String> env(Ctx ctx) {
        return Map.of(
                "HERO_HOME", ctx.paths().home().toString(),
                "HERO_SOCKET_DIR", ctx.paths().socketDir().toString());
    }

    default Path rpcSocket(Ctx ctx) {
        return ctx.paths().serviceSocketDir(name()).resolve("rpc.sock");
    }

    default List<Path> sockets(Ctx ctx) {
        return List.of(rpcSocket(ctx));
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

    /**
     * The server process. It reclaims its rpc.sock before it starts (a stale file is removed, an earlier
     * instance of the same binary still holding it is stopped, a stranger fails the start) and is judged
     * healthy by {@code GET /health} on that socket.
     */
    default List<ActionSpec> actions(Ctx ctx) {
        Path server = ctx.paths().bin().resolve(name() + "_server");
        return List.of(ActionSpec.process("server", List.of(server.toString()), env(ctx), ctx.paths().home(),
                        logDir(ctx).resolve("server.log"))
                .withRestart(restartPolicy())
                .withUser(otherUser(), null)
                .withReclaim(Reclaim.sockets(rpcSocket(ctx)))
                .withLogRotation(logRotation())
                .withHealth(List.of(HealthCheck.HttpUnix.of(rpcSocket(ctx))), HealthPolicy.defaults()));
    }

    /** What service.health probes: by default every check the actions declare (the supervisor probes them too). */
    default List<HealthCheck> healthChecks(Ctx ctx) {
        return actions(ctx).stream().flatMap(a -> a.health().stream()).distinct().toList();
    }

    default BuildResult build(Ctx ctx, String profile, boolean force) {
        return ctx.cargo().build(name(), sourceDir(ctx), profile, binaries(), force);
    }

    /** Release assets are named {@code <binary>-<suffix>}. */
    default String assetSuffix() {
        return "linux-amd64-musl";
    }

    /**
     * Mode source installs exactly what the last successful build produced; mode download installs the release
     * with this tag (the latest when version is null) from the forge.
     */
    default InstallResult install(Ctx ctx, InstallMode mode, String version, boolean force) {
        if (mode == InstallMode.DOWNLOAD) {
            return ctx.releases().install(name(), repo(), binaries(), assetSuffix(), version, force);
        }
        BuildResult built = ctx.cargo().lastBuild(name()).orElseThrow(() -> new ApiException(
                ErrorCode.INSTALL_FAILED, name() + ": nothing built yet: run `heromgr service build " + name() + "` first"));
        List<Path> files = built.binaries().stream().map(Artifact::path).toList();
        return ctx.installer().install(name(), mode, files, ctx.cargo().crateVersion(sourceDir(ctx)), force);
    }

    /*
     * The steps below are the one door between a service and its supervisor: the manager starts, stops, reads,
     * probes and tails a service only through them, so a class that overrides one is obeyed everywhere.
     */

    /** What the supervisor runs for this service: also how a daemon whose state file was damaged adopts its runs. */
    default ServiceSpec spec(Ctx ctx) {
        return new ServiceSpec(name(), actions(ctx));
    }

    default List<ActionStatus> start(Ctx ctx) {
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
        return ctx.supervisor().tail(name(), action, lines);
    }

    /** A reader of one action's log (the first action's when action is null) from its end on, across rotations. */
    default LogCursor followLog(Ctx ctx, String action, int lines) {
        Path file = actions(ctx).stream().filter(a -> action == null || a.name().equals(action)).findFirst()
                .map(ActionSpec::logFile)
                .orElseThrow(() -> new ApiException(ErrorCode.SERVICE_NOT_FOUND, name() + " has no action " + action));
        return ctx.supervisor().followLog(file, lines);
    }
}
