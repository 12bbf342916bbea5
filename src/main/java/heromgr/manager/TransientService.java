package heromgr.manager;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.api.InstallMode;
import heromgr.fs.FileDigest;
import heromgr.proc.ActionSpec;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthPolicy;
import heromgr.proc.LogRotation;
import heromgr.proc.RestartPolicy;
import heromgr.service.BuildResult;
import heromgr.service.CommandLookup;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.InstallResult;
import heromgr.service.Verification;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service made at run time by service.create (like `systemd-run`): one long-running action, "main", running
 * the given argv. Nothing to build or install, so those operations are refused rather than silently skipped.
 */
public record TransientService(TransientDefinition definition) implements HeroService {
    public static final String TYPE = "transient";
    public static final String ACTION = "main";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @Override
    public String name() {
        return definition.name();
    }

    /** No forge repository: the command comes from the caller. */
    @Override
    public String repo() {
        return null;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "transient: " + String.join(" ", definition.argv());
    }

    @Override
    public List<String> dependsOn() {
        return definition.dependsOn();
    }

    @Override
    public Path sourceDir(Ctx ctx) {
        return null;
    }

    @Override
    public List<String> binaries() {
        return List.of();
    }

    @Override
    public RestartPolicy restartPolicy() {
        RestartPolicy policy = definition.restart().policy();
        return definition.restartTuning() == null ? policy : definition.restartTuning().apply(policy);
    }

    /** The Hero variables first, so the caller's own env can override them. */
    @Override
    public Map<String, String> env(Ctx ctx) {
        var env = new HashMap<>(HeroService.super.env(ctx));
        env.putAll(definition.env());
        return env;
    }

    @Override
    public List<Path> sockets(Ctx ctx) {
        return definition.health() == null ? List.of() : List.of(definition.health().unixSocket());
    }

    public Path workDir(Ctx ctx) {
        return definition.workDir() == null ? ctx.paths().home() : definition.workDir();
    }

    /**
     * The check is the action's, so the supervisor's monitor keeps probing it after the start: a service whose check
     * starts failing turns unhealthy in status and list, as a class-defined one does, instead of showing the verdict
     * of its last probe for good.
     */
    @Override
    public List<ActionSpec> actions(Ctx ctx) {
        return List.of(ActionSpec.process(ACTION, definition.argv(), env(ctx), workDir(ctx), logDir(ctx).resolve(ACTION + ".log"))
                .withRestart(restartPolicy())
                .withLogRotation(logRotation())
                .withHealth(healthChecks(ctx), HealthPolicy.defaults()));
    }

    /** The defaults with what the definition changes of them. */
    @Override
    public LogRotation logRotation() {
        return definition.logRotation() == null ? LogRotation.defaults() : definition.logRotation().apply(LogRotation.defaults());
    }

    @Override
    public List<HealthCheck> healthChecks(Ctx ctx) {
        var h = definition.health();
        return h == null ? List.of() : List.of(new HealthCheck.HttpUnix(h.unixSocket(), h.path(), 200, PROBE_TIMEOUT));
    }

    /**
     * Nothing was installed, so nothing to compare: verify says whether the command can be exec'd (an absolute path,
     * or a name on the PATH the process gets), and never advises the install that would be refused.
     */
    @Override
    public Verification verify(Ctx ctx) {
        var runEnv = new HashMap<>(ctx.env());
        runEnv.putAll(definition.env());
        String command = definition.argv().getFirst();
        Optional<Path> found = CommandLookup.find(command, runEnv);
        if (found.isEmpty()) return new Verification(name(), false, List.of(), List.of(CommandLookup.notFound(command, runEnv)));
        boolean elf;
        try {
            elf = FileDigest.isElf(found.get());
        } catch (IOException e) {
            return new Verification(name(), false, List.of(), List.of(found.get() + ": unreadable: " + e.getMessage()));
        }
        return new Verification(name(), true, List.of(new Verification.BinaryCheck(found.get(), true, true, elf, null, null, null, null)), List.of());
    }

    @Override
    public BuildResult build(Ctx ctx, String profile, boolean force) {
        throw new ApiException(ErrorCode.NOT_APPLICABLE, name() + " is a transient service: nothing to build");
    }

    @Override
    public InstallResult install(Ctx ctx, InstallMode mode, String version, boolean force) {
        throw new ApiException(ErrorCode.NOT_APPLICABLE, name() + " is a transient service: nothing to install");
    }
}
