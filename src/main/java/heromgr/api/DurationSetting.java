package heromgr.api;

import java.time.Duration;
import java.util.Map;

/** A duration an environment variable sets in whole milliseconds (HEROMGR_*_MS); absent or blank, the default. */
public final class DurationSetting {
    private DurationSetting() {
    }

    /** @throws IllegalArgumentException naming the variable, for a value that is no positive whole number */
    public static Duration read(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            long ms = Long.parseLong(value.strip());
            if (ms > 0) return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            // said below, with the variable's name: a bare "For input string" names nothing
        }
        throw new IllegalArgumentException(name + " must be a positive whole number of milliseconds, not '" + value + "'");
    }
}
