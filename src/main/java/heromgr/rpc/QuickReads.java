package heromgr.rpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import heromgr.fs.JsonCodec;

import java.io.IOException;
import java.util.Set;

/**
 * The calls answered from memory, without a lock, a file or a process: a server may run them on the thread that read
 * them (no hand-off to a thread of their own). Only a single call (no batch) to one of these methods qualifies;
 * anything else, malformed or not, is not a quick read and goes the usual way, which answers its errors.
 */
public final class QuickReads {
    /** service.status reads the supervisor's snapshots (no lock); list, health and the rest may touch files or wait. */
    static final Set<String> METHODS = Set.of("service.status");
    /** Longer bodies are never a quick read: their parse alone would hold the thread. */
    public static final int MAX_BODY = 4096;

    private QuickReads() {
    }

    /** Whether body is one JSON object whose one "method" names a quick read (the rest is the processor's to check). */
    public static boolean isQuickRead(byte[] body) {
        if (body.length > MAX_BODY) return false;
        String method = null;
        try (JsonParser parser = JsonCodec.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) return false;
            for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
                boolean isMethod = "method".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (isMethod) {
                    // a second "method" is the processor's to judge, not this shortcut's
                    if (method != null || value != JsonToken.VALUE_STRING) return false;
                    method = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return false;
        }
        return method != null && METHODS.contains(method);
    }
}
