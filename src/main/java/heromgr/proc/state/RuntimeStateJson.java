package heromgr.proc.state;

import heromgr.fs.JsonCodec;
import heromgr.proc.ActionSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * runtime.json's bytes, built so that a write re-serializes only the actions that changed: each runner's JSON is kept
 * with the snapshot it was made from (snapshots are immutable and replaced on every change), and each spec's
 * fingerprint with the spec. During a batch of 300 starts the file is written every 20 ms; serializing every spec
 * each time was the daemon's largest CPU cost in that batch. The cached pieces are then copied once into an array of
 * the exact size: growing a buffer and copying it out allocated ~40 MB per batch of 100 starts, and with the
 * daemon's 2 MiB young generation that was ~70 young collections. Compact JSON, one action per line.
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
    private Map<String, byte[]> serviceHeads = new HashMap<>();
    /** The pieces of the last result, and the result: identical pieces give the same array back, no copy. */
    private List<byte[]> lastPieces = List.of();
    private byte[] last;

    /** Services in the given (sorted) order, actions in theirs: the same state always gives the same bytes. */
    public synchronized byte[] serialize(Map<String, ? extends List<? extends SavedAction>> services) {
        var pieces = new ArrayList<byte[]>(3 + 5 * services.size()); // one action per service is the common case
        var heads = new HashMap<String, byte[]>(services.size() * 2);
        pieces.add(HEAD);
        byte[] serviceSeparator = FIRST;
        for (var service : services.entrySet()) {
            byte[] head = serviceHeads.get(service.getKey());
            if (head == null) head = utf8("{\"name\":" + quote(service.getKey()) + ",\"actions\":[");
            heads.put(service.getKey(), head);
            pieces.add(serviceSeparator);
            pieces.add(head);
            byte[] actionSeparator = FIRST;
            for (SavedAction a : service.getValue()) {
                pieces.add(actionSeparator);
                pieces.add(json(a));
                actionSeparator = NEXT;
            }
            pieces.add(SERVICE_END);
            serviceSeparator = NEXT;
        }
        pieces.add(TAIL);
        serviceHeads = heads; // names no longer present drop out
        if (last != null && samePieces(pieces)) return last;
        last = concat(pieces);
        lastPieces = pieces;
        return last;
    }

    private boolean samePieces(List<byte[]> pieces) {
        if (pieces.size() != lastPieces.size()) return false;
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i) != lastPieces.get(i)) return false;
        }
        return true;
    }

    private static byte[] concat(List<byte[]> pieces) {
        int size = 0;
        for (byte[] p : pieces) size += p.length;
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] p : pieces) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
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
