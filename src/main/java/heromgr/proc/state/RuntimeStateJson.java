package heromgr.proc.state;

import heromgr.fs.JsonCodec;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ExitStatus;
import heromgr.proc.Job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>An action's JSON is its spec's JSON (by far the larger part) and the rest. The spec's is made once per spec, with
 * the fingerprint hashed from those very bytes, and a start makes it on its own thread ({@link #prepare}) before the
 * writer needs it: the writer, one thread that every start of a batch waits for, then serializes only the few changing
 * fields of each action. It serialized each new spec twice (for the fingerprint, then inside the action) and again
 * at each change of the action's state. The spec's bytes are a piece of their own, so they are held once, not again
 * inside each cached action.
 */
public final class RuntimeStateJson {
    /** An action's pieces as of one snapshot: its spec's (shared by every snapshot of that spec) and the rest's. */
    private record Cached(SavedAction.Snapshot snapshot, SpecJson spec, byte[] rest) {
    }

    /** What runtime.json holds of an action besides its spec and fingerprint, in the order of RuntimeState.Action. */
    private record Rest(ActionState state, long pid, long pgid, long startTicks, int restartCount, ExitStatus lastExit,
                        String reason, List<Job> jobs) {
    }

    private static final byte[] HEAD = ascii("{\"version\":" + RuntimeState.VERSION + ",\"services\":[");
    private static final byte[] FIRST = ascii("\n");
    private static final byte[] NEXT = ascii(",\n");
    private static final byte[] SERVICE_END = ascii("]}");
    private static final byte[] TAIL = ascii("]}\n");
    private static final byte[] SPEC_FIELD = ascii("{\"spec\":");

    // only the state store's single writer uses these; runners that are gone drop out with their keys
    private final Map<SavedAction, Cached> actions = new WeakHashMap<>();
    /** Filled by the starting threads too (prepare), so under its own lock: never the writer's, held for a whole write. */
    private final Map<SavedAction, SpecJson> specs = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<String, byte[]> serviceHeads = new HashMap<>();
    /** The last result: identical pieces give the same list back, so the writer sees at once that nothing changed. */
    private List<byte[]> last = List.of();

    /**
     * Services in the given (sorted) order, actions in theirs: the same state always gives the same pieces, whose
     * concatenation is the file.
     */
    public synchronized <S> List<byte[]> serialize(Map<String, S> services, Function<S, List<? extends SavedAction>> actionsOf) {
        var pieces = new ArrayList<byte[]>(Math.max(last.size() + 8, 3 + 8 * services.size())); // as many as last time, or one action each
        pieces.add(HEAD);
        byte[] serviceSeparator = FIRST;
        for (var service : services.entrySet()) {
            pieces.add(serviceSeparator);
            pieces.add(serviceHeads.computeIfAbsent(service.getKey(), RuntimeStateJson::head));
            byte[] actionSeparator = FIRST;
            for (SavedAction a : actionsOf.apply(service.getValue())) {
                pieces.add(actionSeparator);
                addAction(pieces, a);
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

    /**
     * Makes the JSON of the spec a start is about to give action a, on the caller's thread, so that the writer finds it
     * made. Cheap when it is made already (a restart of the same spec).
     */
    public void prepare(SavedAction a, ActionSpec spec) {
        specJson(a, spec);
    }

    /**
     * {"spec":SPEC,"fingerprint":"F", then the rest without its opening brace: Jackson's bytes for RuntimeState.Action,
     * in four pieces, so the spec's bytes are held once, by its SpecJson, however many snapshots the action goes through.
     */
    private void addAction(List<byte[]> pieces, SavedAction a) {
        SavedAction.Snapshot s = a.snapshot();
        Cached cached = actions.get(a);
        if (cached == null || cached.snapshot() != s) {
            byte[] rest = serialize(new Rest(s.state(), s.pid(), s.pgid(), s.startTicks(), s.restartCount(), s.lastExit(), s.reason(), s.jobs()),
                    s.spec().name());
            cached = new Cached(s, specJson(a, s.spec()), Arrays.copyOfRange(rest, 1, rest.length));
            actions.put(a, cached);
        }
        pieces.add(SPEC_FIELD);
        pieces.add(cached.spec().json());
        pieces.add(cached.spec().fingerprintField());
        pieces.add(cached.rest());
    }

    private SpecJson specJson(SavedAction a, ActionSpec spec) {
        SpecJson known = specs.get(a);
        if (known != null && known.spec() == spec) return known;
        SpecJson made = SpecJson.of(spec);
        specs.put(a, made);
        return made;
    }

    private static byte[] serialize(Object value, String action) {
        try {
            return JsonCodec.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the state of action " + action, e);
        }
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
