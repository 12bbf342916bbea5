package heromgr.proc.state;

import heromgr.fs.JsonCodec;
import heromgr.proc.ActionSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * runtime.json's bytes, built so that a write re-serializes only the actions that changed: each runner's JSON is kept
 * with the snapshot it was made from (snapshots are immutable and replaced on every change), and each spec's
 * fingerprint with the spec. During a batch of 300 starts the file is written every 20 ms; serializing every spec
 * each time was the daemon's largest CPU cost in that batch. The result is the cached pieces in order, written as they
 * are (see {@link heromgr.fs.AtomicFile#replace(java.nio.file.Path, List)}): joined into one array, a batch of 1,000
 * starts allocated ~1.1 MB per write, ~180 MB in all, which filled the old generation (an array larger than the 2 MiB
 * young generation goes there) and cost a full collection every ~2 s. Compact JSON, one action per line.
 */
public final class RuntimeStateJson {
    private record Cached(SavedAction.Snapshot snapshot, byte[] json) {
    }

    private record Fingerprint(ActionSpec spec, String value) {
    }

    private static final byte[] HEAD = ascii("{\"version\":" + RuntimeState.VERSION + ",\"services\":[");
    private static final byte[] FIRST = ascii("\n");
    private static final byte[] NEXT = ascii(",\n");
    private static final byte[] SERVICE_END = ascii("]}");
    private static final byte[] TAIL = ascii("]}\n");

    // only the state store's single writer uses these; runners that are gone drop out with their keys
    private final Map<SavedAction, Cached> actions = new WeakHashMap<>();
    private final Map<SavedAction, Fingerprint> fingerprints = new WeakHashMap<>();
    private final Map<String, byte[]> serviceHeads = new HashMap<>();
    /** The last result: identical pieces give the same list back, so the writer sees at once that nothing changed. */
    private List<byte[]> last = List.of();

    /**
     * Services in the given (sorted) order, actions in theirs: the same state always gives the same pieces, whose
     * concatenation is the file.
     */
    public synchronized <S> List<byte[]> serialize(Map<String, S> services, Function<S, List<? extends SavedAction>> actionsOf) {
        var pieces = new ArrayList<byte[]>(Math.max(last.size() + 8, 3 + 5 * services.size())); // as many as last time, or one action each
        pieces.add(HEAD);
        byte[] serviceSeparator = FIRST;
        for (var service : services.entrySet()) {
            pieces.add(serviceSeparator);
            pieces.add(serviceHeads.computeIfAbsent(service.getKey(), RuntimeStateJson::head));
            byte[] actionSeparator = FIRST;
            for (SavedAction a : actionsOf.apply(service.getValue())) {
                pieces.add(actionSeparator);
                pieces.add(json(a));
                actionSeparator = NEXT;
            }
            pieces.add(SERVICE_END);
            serviceSeparator = NEXT;
        }
        pieces.add(TAIL);
        if (serviceHeads.size() > services.size()) serviceHeads.keySet().retainAll(services.keySet()); // names gone drop out
        if (!pieces.equals(last)) last = Collections.unmodifiableList(pieces); // equals of byte[]: the same arrays
        return last;
    }

    private static byte[] head(String name) {
        return utf8("{\"name\":" + quote(name) + ",\"actions\":[");
    }

    private byte[] json(SavedAction a) {
        SavedAction.Snapshot s = a.snapshot();
        Cached cached = actions.get(a);
        if (cached != null && cached.snapshot() == s) return cached.json();
        var action = new RuntimeState.Action(s.spec(), fingerprint(a, s.spec()), s.state(), s.pid(), s.pgid(), s.startTicks(),
                s.restartCount(), s.lastExit(), s.reason(), s.jobs());
        try {
            byte[] json = JsonCodec.MAPPER.writeValueAsBytes(action);
            actions.put(a, new Cached(s, json));
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the state of action " + s.spec().name(), e);
        }
    }

    private String fingerprint(SavedAction a, ActionSpec spec) {
        Fingerprint f = fingerprints.get(a);
        if (f != null && f.spec() == spec) return f.value();
        String value = RuntimeStateStore.fingerprint(spec);
        fingerprints.put(a, new Fingerprint(spec, value));
        return value;
    }

    private static String quote(String s) {
        try {
            return JsonCodec.MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
