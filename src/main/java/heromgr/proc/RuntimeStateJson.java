package heromgr.proc;

import heromgr.fs.JsonCodec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * runtime.json's bytes, built so that a write re-serializes only the actions that changed: each runner's JSON is kept
 * with the snapshot it was made from (snapshots are immutable and replaced on every change), and each spec's
 * fingerprint with the spec. During a batch of 300 starts the file is written every 20 ms; serializing every spec
 * each time was the daemon's largest CPU cost in that batch. Compact JSON, one action per line.
 */
final class RuntimeStateJson {
    private record Cached(ActionRunner.Snapshot snapshot, byte[] json) {
    }

    private record Fingerprint(ActionSpec spec, String value) {
    }

    // only the state store's single writer uses these; runners that are gone drop out with their keys
    private final Map<ActionRunner, Cached> actions = new WeakHashMap<>();
    private final Map<ActionRunner, Fingerprint> fingerprints = new WeakHashMap<>();

    /** Services in the given (sorted) order, actions in theirs: the same state always gives the same bytes. */
    synchronized byte[] serialize(Map<String, List<ActionRunner>> services) {
        var out = new ByteArrayOutputStream(256 + 512 * services.size());
        write(out, "{\"version\":" + RuntimeState.VERSION + ",\"services\":[");
        String serviceSeparator = "\n";
        for (var service : services.entrySet()) {
            write(out, serviceSeparator + "{\"name\":" + quote(service.getKey()) + ",\"actions\":[");
            String actionSeparator = "\n";
            for (ActionRunner r : service.getValue()) {
                write(out, actionSeparator);
                out.writeBytes(json(r));
                actionSeparator = ",\n";
            }
            write(out, "]}");
            serviceSeparator = ",\n";
        }
        write(out, "]}\n");
        return out.toByteArray();
    }

    private byte[] json(ActionRunner r) {
        ActionRunner.Snapshot s = r.snapshot();
        Cached cached = actions.get(r);
        if (cached != null && cached.snapshot() == s) return cached.json();
        var action = new RuntimeState.Action(s.spec(), fingerprint(r, s.spec()), s.state(), s.pid(), s.pgid(), s.startTicks(),
                s.restartCount(), s.lastExit(), s.reason(), s.jobs());
        try {
            byte[] json = JsonCodec.MAPPER.writeValueAsBytes(action);
            actions.put(r, new Cached(s, json));
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the state of action " + s.spec().name(), e);
        }
    }

    private String fingerprint(ActionRunner r, ActionSpec spec) {
        Fingerprint f = fingerprints.get(r);
        if (f != null && f.spec() == spec) return f.value();
        String value = RuntimeStateStore.fingerprint(spec);
        fingerprints.put(r, new Fingerprint(spec, value));
        return value;
    }

    private static String quote(String s) {
        try {
            return JsonCodec.MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
