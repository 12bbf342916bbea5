package heromgr.proc;

import java.time.Duration;
import java.util.Objects;

/**
 * When the supervisor starts an action again after it exited on its own.
 * A stop asked for by a user is never followed by a restart.
 */
public record RestartPolicy(Mode mode, Duration delay) {
    public enum Mode { NEVER, ON_FAILURE, ALWAYS }

    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new IllegalArgumentException("restart delay must not be negative: " + delay);
    }

    public static RestartPolicy always() {
        return new RestartPolicy(Mode.ALWAYS, Duration.ofMillis(100));
    }

    public static RestartPolicy onFailure() {
        return new RestartPolicy(Mode.ON_FAILURE, Duration.ofMillis(100));
    }

    public static RestartPolicy never() {
        return new RestartPolicy(Mode.NEVER, Duration.ZERO);
    }

    /** Whether an exit with this status, not asked for, calls for a new run. */
    public boolean restartsAfter(ExitStatus exit) {
        return switch (mode) {
            case NEVER -> false;
            case ALWAYS -> true;
            case ON_FAILURE -> !exit.success();
        };
    }
}
