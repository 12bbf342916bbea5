package heromgr.manager;

import heromgr.manager.Results.HealthReport;
import heromgr.manager.Results.StatusReport;
import heromgr.manager.Results.Troubleshooting;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthResult;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.InstallRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * service.troubleshoot: state, health with details, what blocks the service, failed actions, recent failed
 * operations, the last log lines, and concrete hints — each hint says what is wrong and what to run.
 */
final class Troubleshooter {
    static final int LOG_LINES = 30;

    private final Lifecycle lifecycle;
    private final ServiceRegistry registry;
    private final Ctx ctx;

    Troubleshooter(Lifecycle lifecycle, ServiceRegistry registry) {
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.ctx = lifecycle.ctx();
    }

    Troubleshooting diagnose(HeroService s, List<OperationLog.Entry> recentOps) {
        StatusReport status = StatusReport.of(s.name(), lifecycle.status(s));
        HealthReport health = lifecycle.health().probe(s, status.actions());
        List<String> blockedBy = new ArrayList<>();
        for (String dep : s.dependsOn()) {
            String state = ServiceStates.of(lifecycle.status(registry.get(dep)));
            if (!state.equals(ActionState.RUNNING.name())) blockedBy.add(dep + " is " + state);
        }
        List<ActionStatus> failed = status.actions().stream().filter(Troubleshooter::failedRun).toList();
        List<OperationLog.Entry> failedOps = recentOps.stream().filter(e -> "error".equals(e.outcome())).limit(5).toList();
        List<String> hints = hints(s, status, health, blockedBy, failed, failedOps);
        return new Troubleshooting(s.name(), status.state(), status, health, blockedBy, failed,
                s.logs(ctx, null, LOG_LINES), failedOps, hints);
    }

    private static boolean failedRun(ActionStatus a) {
        return a.state() == ActionState.FAILED || a.state() == ActionState.BACKOFF
                || (a.lastExit() != null && !a.lastExit().requested() && !a.lastExit().success());
    }

    private List<String> hints(HeroService s, StatusReport status, HealthReport health, List<String> blockedBy,
                               List<ActionStatus> failed, List<OperationLog.Entry> failedOps) {
        List<String> hints = new ArrayList<>();
        Optional<InstallRecord> installed = ctx.installer().record(s.baseName());
        for (String binary : s.binaries()) {
            Path p = ctx.paths().bin().resolve(binary);
            if (!Files.isRegularFile(p)) hints.add("binary missing: " + p + ": run `heromgr service install " + s.name() + "` (after `heromgr service build " + s.name() + "`)");
        }
        for (String b : blockedBy) hints.add("dependency " + b + ": start it first");
        for (ActionStatus a : failed) {
            String exit = a.lastExit() == null ? "" : ", last " + a.lastExit().describe();
            String what = a.state() == ActionState.BACKOFF ? "crash-looping (restarted " + a.restartCount() + " times" + exit + ")"
                    : a.state() + exit;
            hints.add("action " + a.name() + " " + what + ": read the log lines below or `heromgr logs " + s.name() + "`");
        }
        boolean running = status.state().equals(ActionState.RUNNING.name());
        if (running && !health.ok()) {
            health.checks().stream().filter(c -> !c.ok()).map(HealthResult::detail)
                    .forEach(d -> hints.add("running but unhealthy: " + d));
        }
        if (!running && failed.isEmpty() && installed.isPresent()) hints.add("not running: run `heromgr start " + s.name() + "`");
        if (!running) hints.addAll(SocketHints.of(s, ctx));
        for (OperationLog.Entry e : failedOps) {
            hints.add("recent " + e.method() + " failed: " + e.error() + (e.outputLog() == null ? "" : " (output: " + e.outputLog() + ")"));
        }
        if (hints.isEmpty()) hints.add("no problem found: running and healthy");
        return hints;
    }
}
