package heromgr.testkit;

import heromgr.proc.ActionKind;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.ExitStatus;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthResult;
import heromgr.proc.RestartPolicy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * One action of {@link InMemorySupervisor}: where it stands, by the rules of the embedded supervisor (exits, restart
 * policy, one-shots), without a process. Not thread-safe: the supervisor calls it under its own lock. Each change is
 * handed to the listener as it happens.
 */
final class MemoryAction {
    /** How a stop's SIGTERM shows in an exit status: 128 + 15, as a shell shows it. */
    private static final int TERMINATED = 128 + 15;

    private final String service;
    private ActionSpec spec;
    private ActionState state = ActionState.STOPPED;
    private long pid;
    private Instant startedAt;
    private ExitStatus lastExit;
    private Boolean healthy;

    MemoryAction(String service, ActionSpec spec) {
        this.service = service;
        this.spec = spec;
    }

    String name() {
        return spec.name();
    }

    /** A run is under way or due (BACKOFF): what the embedded supervisor leaves alone on a start. */
    boolean live() {
        return switch (state) {
            case STARTING, RUNNING, STOPPING, BACKOFF -> true;
            case STOPPED, EXITED, FAILED -> false;
        };
    }

    boolean running() {
        return state == ActionState.RUNNING;
    }

    boolean declares(HealthCheck check) {
        return spec.health().contains(check);
    }

    /** What a probe of one of its checks finds: its verdict. */
    HealthResult answer(HealthCheck check) {
        boolean ok = Boolean.TRUE.equals(healthy);
        return new HealthResult(check.kind(), check.target(), ok, ok ? 200 : 503, 0, ok ? "healthy" : "unhealthy");
    }

    /** A live action only takes the new spec for its next run. */
    ActionStatus respec(ActionSpec newSpec) {
        spec = newSpec;
        return status();
    }

    /** @return the status as the spawn left it; an outcome of {@code Exits} then ends the run at once */
    ActionStatus spawn(ActionSpec newSpec, long newPid, InMemorySupervisor.Outcome outcome, BiConsumer<String, ActionStatus> publish) {
        spec = newSpec;
        change(ActionState.STARTING, publish);
        pid = newPid;
        startedAt = Instant.now();
        healthy = judged(outcome instanceof InMemorySupervisor.Outcome.Runs(boolean verdict) && verdict);
        change(ActionState.RUNNING, publish);
        ActionStatus spawned = status();
        if (outcome instanceof InMemorySupervisor.Outcome.Exits(int code)) exit(code, publish);
        return spawned;
    }

    void judge(boolean verdict, BiConsumer<String, ActionStatus> publish) {
        Boolean before = healthy;
        healthy = judged(verdict);
        if (!Objects.equals(before, healthy)) publish.accept(service, status());
    }

    /** An exit nobody asked for: restarted (BACKOFF) when the policy says so, else EXITED on success, FAILED otherwise. */
    void exit(int code, BiConsumer<String, ActionStatus> publish) {
        lastExit = new ExitStatus(code, 0, Instant.now(), false);
        endRun();
        change(restartsAfter(lastExit) ? ActionState.BACKOFF : lastExit.success() ? ActionState.EXITED : ActionState.FAILED, publish);
    }

    /** Ends a run with SIGTERM (no restart follows) and cancels a due restart; an ended run stays as it ended. */
    void stop(BiConsumer<String, ActionStatus> publish) {
        if (state == ActionState.RUNNING || state == ActionState.STARTING) {
            change(ActionState.STOPPING, publish);
            lastExit = new ExitStatus(TERMINATED, 15, Instant.now(), true);
            endRun();
            change(ActionState.STOPPED, publish);
        } else if (state == ActionState.BACKOFF) {
            change(ActionState.STOPPED, publish);
        }
    }

    ActionStatus status() {
        long uptime = pid == 0 ? 0 : Instant.now().toEpochMilli() - startedAt.toEpochMilli();
        return new ActionStatus(spec.name(), state, pid, uptime, 0, lastExit, spec.logFile(), healthy, List.of(), List.of(), null);
    }

    private void endRun() {
        pid = 0;
        healthy = judged(false);
    }

    /** Like the embedded supervisor: a one-shot that succeeded is done, one that failed is run again unless never. */
    private boolean restartsAfter(ExitStatus exit) {
        if (spec.kind() == ActionKind.ONESHOT) return !exit.success() && spec.restart().mode() != RestartPolicy.Mode.NEVER;
        return spec.restart().restartsAfter(exit);
    }

    /** null for an action without checks: nobody judges it. */
    private Boolean judged(boolean verdict) {
        return spec.health().isEmpty() ? null : verdict;
    }

    private void change(ActionState next, BiConsumer<String, ActionStatus> publish) {
        state = next;
        publish.accept(service, status());
    }
}
