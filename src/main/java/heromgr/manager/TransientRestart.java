package heromgr.manager;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import heromgr.proc.RestartPolicy;

import java.util.Locale;

/** The restart policies a transient service can ask for, by their wire names. */
public enum TransientRestart {
    NEVER, ON_FAILURE, ALWAYS;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TransientRestart fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public RestartPolicy policy() {
        return switch (this) {
            case NEVER -> RestartPolicy.never();
            case ON_FAILURE -> RestartPolicy.onFailure();
            case ALWAYS -> RestartPolicy.always();
        };
    }
}
