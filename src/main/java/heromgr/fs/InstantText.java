package heromgr.fs;

import java.time.Instant;

/**
 * Instants' ISO-8601 text (Instant.toString), the last few remembered: a client polling a service's status gets the
 * same job start written each time, and formatting it (a print context, a date, a time, a builder) was a tenth of a
 * status call's garbage.
 */
final class InstantText {
    /** An instant and its text; immutable, so a slot is safely read by any thread without a lock. */
    private record Known(Instant instant, String text) {
    }

    private static final int SLOTS = 16;
    /** By the instant's hash; a racing write only loses a remembered text. */
    private static final Known[] KNOWN = new Known[SLOTS];

    private InstantText() {
    }

    static String of(Instant instant) {
        int slot = instant.hashCode() & (SLOTS - 1);
        Known known = KNOWN[slot];
        if (known != null && known.instant().equals(instant)) return known.text();
        String text = instant.toString();
        KNOWN[slot] = new Known(instant, text);
        return text;
    }
}
