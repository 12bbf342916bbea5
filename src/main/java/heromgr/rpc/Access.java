package heromgr.rpc;

import java.util.Locale;

/**
 * What a method needs and what a caller may do: read (look at services, logs, events, metrics) or operate (also
 * change something). Each method's need is its {@code x-heromgr-access} in the OpenRPC document; a caller's grant
 * comes from its peer credentials (the daemon's user, root and the operator group operate; the viewer group reads).
 */
public enum Access {
    READ,
    OPERATE;

    /** The document's word for it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a caller granted this may call a method that needs {@code needed}. */
    public boolean covers(Access needed) {
        return this == OPERATE || needed == READ;
    }

    /** The access a document word names: "read" or "operate". */
    static Access ofWord(String word) {
        for (Access a : values()) {
            if (a.word().equals(word)) return a;
        }
        throw new IllegalArgumentException("x-heromgr-access must be \"read\" or \"operate\", not \"" + word + "\"");
    }
}
