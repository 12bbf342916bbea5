package heromgr.manager;

import heromgr.service.Ctx;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The changing operations as records of the operation log (params redacted, the caller, timing, outcome; a build's
 * full output kept with its record), each announced by start and end events naming its id.
 */
final class RecordedOperations {
    private final OperationLog operations;
    private final OperationEvents events;
    private final Ctx ctx;

    RecordedOperations(OperationLog operations, OperationEvents events, Ctx ctx) {
        this.operations = operations;
        this.events = events;
        this.ctx = ctx;
    }

    /** requestId (the JSON-RPC id, may be null) goes into the start event so a caller can recognize its operation. */
    <T> T run(String method, JsonNode params, String caller, String requestId, Function<RunningOperation, T> op) {
        String name = params.path("name").asText(null);
        Supplier<Path> output = method.equals("service.build") && name != null
                ? () -> ctx.cargo().outputLog(name) : null;
        RunningOperation running = new RunningOperation(operations.newId(), method);
        events.started(name, running, caller, requestId);
        long t0 = System.nanoTime();
        String outcome = "error";
        var refusal = new AtomicReference<RuntimeException>();
        try {
            T result = operations.record(running.id(), method, name, params, caller, output, () -> {
                try {
                    return op.apply(running);
                } catch (RuntimeException e) {
                    refusal.set(e);
                    throw e;
                }
            });
            outcome = "ok";
            return result;
        } catch (UncheckedIOException logFailed) {
            // the operation's own failure (an unknown service, say) is the true cause; the log's comes second
            RuntimeException first = refusal.get();
            if (first == null) throw new UncheckedIOException(method + " was carried out, but " + logFailed.getMessage(), logFailed.getCause());
            first.addSuppressed(logFailed);
            throw first;
        } finally {
            events.ended(name, running, outcome, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** The steps of one fleet operation, as its progress events (none when op is null). */
    Fleet.Steps steps(RunningOperation op) {
        return op == null ? Fleet.Steps.NONE : events.steps(op);
    }

    /** The context for one operation on a service: its release downloads and its builds report progress as events. */
    Ctx reporting(String name, RunningOperation op) {
        return op == null ? ctx : ctx.reporting(events.downloads(name, op), events.buildOutput(name, op));
    }
}
