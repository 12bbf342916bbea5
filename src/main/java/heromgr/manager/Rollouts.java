package heromgr.manager;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.api.InstallMode;
import heromgr.fs.JsonCodec;
import heromgr.manager.Results.DeployResult;
import heromgr.manager.Results.HealthReport;
import heromgr.manager.Results.StartResult;
import heromgr.manager.Results.UpgradeResult;
import heromgr.service.BuildResult;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.InstallRecord;
import heromgr.service.InstallResult;
import heromgr.service.Verification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;

/**
 * The composite operations: upgrade (install the new release, restart, wait until healthy, and put the old
 * binaries back if any of that fails) and deploy (build or install, restart, verify, health). Each runs under
 * the service's lock as one operation.
 */
final class Rollouts {
    private static final Logger log = LoggerFactory.getLogger(Rollouts.class);

    private final Lifecycle lifecycle;
    private final OperationLog operations;
    private final Ctx ctx;

    Rollouts(Lifecycle lifecycle, OperationLog operations) {
        this.lifecycle = lifecycle;
        this.operations = operations;
        this.ctx = lifecycle.ctx();
    }

    /**
     * Afterwards the service runs: healthy on the new version, or — rolled_back — on the previous one. An install
     * that changes nothing (that version is in place) restarts nothing. downloading: the context the install step
     * uses, whose downloads report progress.
     */
    UpgradeResult upgrade(HeroService s, String version, Duration timeout, Ctx downloading) {
        return lifecycle.exclusive(s.name(), "upgrade", () -> {
            String from = ctx.installer().record(s.baseName()).map(InstallRecord::version).orElse(null);
            InstallResult installed = s.install(downloading, InstallMode.DOWNLOAD, version, false);
            if (!installed.changed()) {
                StartResult running = lifecycle.start(s, true, timeout);
                return new UpgradeResult(s.name(), from, installed.version(), false, false, null, running.state(), running.healthy());
            }
            try {
                lifecycle.stop(s);
                StartResult started = lifecycle.start(s, true, timeout);
                return new UpgradeResult(s.name(), from, installed.version(), true, false, null, started.state(), started.healthy());
            } catch (ApiException failed) {
                return rollBack(s, from, installed.version(), failed, timeout);
            }
        });
    }

    /** The rollback is an operation of its own in the log, by heromgr, with the reason. */
    private UpgradeResult rollBack(HeroService s, String from, String to, ApiException failed, Duration timeout) {
        log.warn("upgrade of {} to {} failed ({}): rolling back to {}", s.name(), to, failed.getMessage(), from);
        var params = JsonCodec.MAPPER.createObjectNode().put("name", s.name()).put("from", to).put("to", from)
                .put("reason", failed.getMessage());
        return operations.record("service.rollback", s.name(), params, "heromgr", null,
                () -> restorePrevious(s, from, to, failed, timeout));
    }

    private UpgradeResult restorePrevious(HeroService s, String from, String to, ApiException failed, Duration timeout) {
        lifecycle.stop(s);
        try {
            if (!ctx.installer().rollback(s.baseName())) {
                throw new ApiException(ErrorCode.INSTALL_FAILED, s.name() + ": upgrade to " + to + " failed (" + failed.getMessage()
                        + ") and there was no previous install to roll back to");
            }
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INSTALL_FAILED, s.name() + ": upgrade to " + to + " failed (" + failed.getMessage()
                    + ") and the rollback failed: " + e.getMessage(), null, e);
        }
        StartResult back;
        try {
            back = lifecycle.start(s, true, timeout);
        } catch (ApiException notAgain) {
            // the old version's own failure alone would hide that an upgrade happened and was undone
            throw new ApiException(notAgain.code(), s.name() + ": upgrade to " + to + " failed (" + failed.getMessage()
                    + "); rolled back to " + from + ", which did not start either: " + notAgain.getMessage(), notAgain.data(), notAgain);
        }
        return new UpgradeResult(s.name(), from, to, true, true, failed.getMessage(), back.state(), back.healthy());
    }

    /**
     * service.start with reset or a version, under the service's lock as one operation. version: unless it is the
     * installed one, that release is downloaded and installed first, and a service running the binaries it replaced is
     * stopped so that it starts on the new ones. reset: whatever runs is stopped first (like hero_proc's start --reset),
     * and with it goes the runtime state a start would otherwise carry on: a FAILED verdict, the restart counters and
     * backoff, the remembered health. Without either it is a plain start.
     */
    StartResult start(HeroService s, ServiceManager.StartRequest request, Ctx downloading) {
        return lifecycle.exclusive(s.name(), "start", () -> {
            String installed = request.version() == null ? null : installIfOther(s, request.version(), downloading);
            if (request.reset() || installed != null) lifecycle.stop(s);
            return lifecycle.start(s, request.awaitHealth(), request.timeout()).after(request.reset(), installed);
        });
    }

    /** The version installed, or null when that release was the installed one already. */
    private String installIfOther(HeroService s, String version, Ctx downloading) {
        // an instance's binaries and install record are its class's
        String current = ctx.installer().record(s.baseName()).map(InstallRecord::version).orElse(null);
        if (version.equals(current)) return null;
        InstallResult installed = s.install(downloading, InstallMode.DOWNLOAD, version, false);
        return installed.changed() ? installed.version() : null;
    }

    /** Fails at the first step that fails, naming it; the steps before it stay done. */
    DeployResult deploy(HeroService s, InstallMode mode, String version, Duration timeout, Ctx reporting) {
        return lifecycle.exclusive(s.name(), "deploy", () -> {
            BuildResult build = mode == InstallMode.SOURCE ? s.build(reporting, s.buildProfile(), false) : null;
            InstallResult install = s.install(reporting, mode, version, false);
            // the same binaries in place and the service up: a restart would only interrupt it
            boolean restart = install.changed() || !lifecycle.isLive(s.name());
            if (restart) lifecycle.stop(s);
            StartResult started = lifecycle.start(s, true, timeout);
            Verification verify = s.verify(ctx);
            if (!verify.ok()) {
                throw new ApiException(ErrorCode.VERIFICATION_FAILED, s.name() + ": deployed, but verification failed: "
                        + String.join("; ", verify.problems()), verify, null);
            }
            HealthReport health = lifecycle.health().probe(s);
            return new DeployResult(s.name(), mode.wireName(), build, install, restart, verify, health, started.state());
        });
    }
}
