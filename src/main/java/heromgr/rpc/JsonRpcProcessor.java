package heromgr.rpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.JsonCodec;
import heromgr.manager.DeferredPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The JSON-RPC 2.0 envelope: single calls, batches and notifications in; answers out. Every fault becomes a
 * precise error object; nothing a client sends can escape as an exception.
 */
public final class JsonRpcProcessor {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcProcessor.class);
    /** A batch larger than this is refused whole: one request must not pin the daemon. */
    static final int MAX_BATCH = 1000;

    /** How many calls of one batch run at once: enough to overlap fsyncs and spawns, few enough not to swamp 2 cores. */
    static final int BATCH_PARALLELISM = 16;
    /**
     * Calls that spawn nothing and mostly wait (a process's exit, the shared state write, the op log's group commit):
     * a wave of only these runs whole at once, so 1000 stops signal every group together and share a few writes,
     * where 16 at a time made 63 rounds of "signal, wait, write 1.1 MB, fsync" (and 63 stop timeouts for processes
     * that ignore the stop signal).
     */
    private static final Set<String> WAITING_METHODS = Set.of("service.stop");
    /**
     * Calls whose wait for the state file a wave of only these (one method throughout) makes once at its end: the
     * stops above, and creates, whose starts otherwise each waited for a write of the whole file (~50 writes fewer per
     * 100 creates; 5-13 % of a batch's daemon CPU at 300-1,000). Not a mixed wave: a stop waits for every call of its
     * wave to signal, which creates held back by the 16 slots would make it do for its whole bound.
     */
    private static final Set<String> DEFERRING_METHODS = Set.of("service.stop", "service.create");

    private final ObjectMapper mapper;
    private final Dispatcher dispatcher;
    private final Function<String, Set<String>> related;
    private final CallMeter meter;
    private final IntFunction<DeferredPersistence> deferrals;
    private final ObjectReader quickReader;

    public JsonRpcProcessor(ObjectMapper mapper, Dispatcher dispatcher) {
        this(mapper, dispatcher, name -> Set.of(), CallMeter.NONE);
    }

    /**
     * @param related a service's direct dependencies and dependents: batch calls touching related services keep their order
     * @param meter   told each call's method, outcome and time (the daemon's metrics)
     */
    public JsonRpcProcessor(ObjectMapper mapper, Dispatcher dispatcher, Function<String, Set<String>> related, CallMeter meter) {
        this(mapper, dispatcher, related, meter, calls -> DeferredPersistence.none());
    }

    /** @param deferrals one per wave of waiting calls, by its size: their waits for the state file, made once at the wave's end */
    public JsonRpcProcessor(ObjectMapper mapper, Dispatcher dispatcher, Function<String, Set<String>> related, CallMeter meter,
                            IntFunction<DeferredPersistence> deferrals) {
        this.mapper = mapper;
        this.dispatcher = dispatcher;
        this.related = related;
        this.meter = meter;
        this.deferrals = deferrals;
        this.quickReader = QuickReads.reader(mapper);
    }

    /** The answer's bytes, or empty when there is nothing to answer (notifications only). */
    public Optional<byte[]> process(byte[] body, Caller caller) {
        Optional<String> notUtf8 = ParseErrors.notUtf8(body);
        if (notUtf8.isPresent()) return Optional.of(write(error(null, new ApiException(ErrorCode.PARSE_ERROR, notUtf8.get()))));
        JsonNode request;
        try {
            request = parse(body);
        } catch (TrailingText e) {
            return Optional.of(write(error(null, new ApiException(ErrorCode.PARSE_ERROR,
                    "parse error: text after the JSON value at byte " + e.offset))));
        } catch (StreamConstraintsException e) {
            return Optional.of(write(error(null, new ApiException(ErrorCode.PARSE_ERROR,
                    "parse error: nesting deeper than the limit of " + JsonCodec.MAX_NESTING))));
        } catch (IOException e) {
            return Optional.of(write(error(null, new ApiException(ErrorCode.PARSE_ERROR, ParseErrors.describe(body, e)))));
        }
        if (request == null || request.isMissingNode()) {
            return Optional.of(write(error(null, new ApiException(ErrorCode.PARSE_ERROR, "parse error: empty body"))));
        }
        if (request.isArray()) return processBatch((ArrayNode) request, caller);
        return Optional.ofNullable(processOne(request, caller)).map(this::write);
    }

    /** The body's call when it is a quick read (see QuickReads), parsed once; empty when it is not: process answers it. */
    public Optional<JsonNode> quickRead(byte[] body) {
        return QuickReads.call(quickReader, body);
    }

    /**
     * Answers a call that quickRead gave, as process would answer its body, into out (emptied first): the caller may
     * reuse one buffer for every answer. False when there is nothing to answer (a notification), out left empty.
     */
    public boolean answer(JsonNode call, Caller caller, ByteArrayOutputStream out) {
        out.reset();
        Answer answer = processOne(call, caller);
        if (answer == null) return false;
        try {
            mapper.writeValue(out, answer);
        } catch (IOException | RuntimeException e) {
            out.reset();
            out.writeBytes(write(unwritable(answer, e)));
        }
        return true;
    }

    /** The one JSON value of the body; whitespace may follow it, anything else is refused, not ignored. */
    private JsonNode parse(byte[] body) throws IOException {
        try (JsonParser parser = mapper.createParser(body)) {
            JsonNode value = mapper.readTree(parser);
            if (value == null) return null;
            long end = parser.currentLocation().getByteOffset();
            JsonToken next;
            try {
                next = parser.nextToken();
            } catch (JsonParseException e) {
                throw new TrailingText(end);
            }
            if (next != null) throw new TrailingText(end);
            return value;
        }
    }

    /** The body went on after its JSON value. */
    private static final class TrailingText extends IOException {
        final long offset;

        TrailingText(long offset) {
            super("text after the JSON value at byte " + offset);
            this.offset = offset;
        }
    }

    private Optional<byte[]> processBatch(ArrayNode batch, Caller caller) {
        if (batch.isEmpty()) {
            return Optional.of(write(error(null, new ApiException(ErrorCode.INVALID_REQUEST, "invalid request: empty batch"))));
        }
        if (batch.size() > MAX_BATCH) {
            return Optional.of(write(error(null, new ApiException(ErrorCode.INVALID_REQUEST,
                    "invalid request: batch of " + batch.size() + " calls, at most " + MAX_BATCH + " allowed"))));
        }
        Answer[] results = new Answer[batch.size()];
        for (List<Integer> wave : BatchWaves.of(batch, related)) runWave(batch, wave, results, caller);
        var answers = new ByteArrayOutputStream();
        for (Answer answer : results) {
            if (answer == null) continue;
            answers.write(answers.size() == 0 ? '[' : ',');
            answers.writeBytes(write(answer));
        }
        if (answers.size() == 0) return Optional.empty();
        answers.write(']');
        return Optional.of(answers.toByteArray());
    }

    /** The wave's calls on virtual threads, at most BATCH_PARALLELISM at a time (all of a waiting wave); returns when all are answered. */
    private void runWave(ArrayNode batch, List<Integer> wave, Answer[] results, Caller caller) {
        if (wave.size() == 1) {
            results[wave.getFirst()] = processOne(batch.get(wave.getFirst()), caller);
            return;
        }
        String method = batch.get(wave.getFirst()).path("method").asText();
        boolean oneMethod = wave.stream().allMatch(i -> method.equals(batch.get(i).path("method").asText()));
        boolean waiting = oneMethod && WAITING_METHODS.contains(method);
        DeferredPersistence deferred = oneMethod && DEFERRING_METHODS.contains(method)
                ? deferrals.apply(wave.size()) : DeferredPersistence.none();
        Semaphore slots = new Semaphore(waiting ? wave.size() : BATCH_PARALLELISM);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i : wave) {
                slots.acquireUninterruptibly();
                executor.execute(() -> {
                    try {
                        results[i] = deferred.run(() -> processOne(batch.get(i), caller));
                    } finally {
                        slots.release();
                    }
                });
            }
        } finally {
            // the batch answers after this: every stop and start it made is on disk by then, as a single call's answer is
            deferred.await();
        }
    }

    /** One call's answer; null for a valid notification. Measured whatever the outcome. */
    private Answer processOne(JsonNode call, Caller caller) {
        long t0 = System.nanoTime();
        JsonNode id = call.isObject() ? call.get("id") : null;
        boolean validId = id == null || id.isTextual() || id.isNumber() || id.isNull();
        String method = call.isObject() ? call.path("method").textValue() : null;
        ErrorCode failure = null;
        try {
            JsonNode params = validCall(call, validId);
            Caller forCall = id == null || id.isNull() ? caller : caller.forRequest(id.asText());
            Object result = dispatcher.call(method, params == null ? mapper.createObjectNode() : params, forCall);
            return id == null ? null : new Answer(id, result);
        } catch (ApiException e) {
            failure = e.code();
            // a notification is never answered, unless it was not even a valid call
            // an id of the wrong type is not echoed: JSON-RPC answers null when the id could not be taken
            return id == null && call.isObject() && validId && e.code() != ErrorCode.INVALID_REQUEST ? null : error(validId ? id : null, e);
        } catch (UncheckedIOException e) {
            // a file that could not be written (a full disk, a read-only folder, a refused link): the message names it
            failure = ErrorCode.STORAGE_FAILED;
            log.warn("{}: {}", method, e.getMessage());
            return id == null ? null : error(id, new ApiException(ErrorCode.STORAGE_FAILED, e.getMessage()));
        } catch (RuntimeException | Error e) {
            // a method's bug (an assertion, a class that failed to initialise) is its call's internal error, and the
            // connection goes on serving; the JVM's own failures (out of memory, a stack overflow) are not answered
            if (e instanceof VirtualMachineError vm) throw vm;
            failure = ErrorCode.INTERNAL_ERROR;
            log.error("internal error in {}", call.path("method").asText(), e);
            return id == null ? null : error(id, new ApiException(ErrorCode.INTERNAL_ERROR, "internal error: " + e));
        } finally {
            meter.called(method, failure, System.nanoTime() - t0);
        }
    }

    /** The call's params (null when it sent none), once the call is a valid JSON-RPC 2.0 request. */
    private static JsonNode validCall(JsonNode call, boolean validId) {
        if (!call.isObject()) throw new ApiException(ErrorCode.INVALID_REQUEST, "invalid request: a call must be an object");
        if (!validId) throw new ApiException(ErrorCode.INVALID_REQUEST, "invalid request: id must be a string, number or null");
        if (!"2.0".equals(call.path("jsonrpc").textValue())) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "invalid request: \"jsonrpc\" must be \"2.0\"");
        }
        JsonNode method = call.get("method");
        if (method == null || !method.isTextual()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "invalid request: \"method\" must be a string");
        }
        JsonNode params = call.get("params");
        if (params != null && params.isArray()) {
            throw new ApiException(ErrorCode.INVALID_PARAMS, "invalid params: params must be an object (by name)");
        }
        if (params != null && !params.isObject()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "invalid request: params must be an object");
        }
        return params;
    }

    private Answer error(JsonNode id, ApiException e) {
        ObjectNode err = mapper.createObjectNode();
        err.put("code", e.number());
        err.put("message", e.getMessage());
        if (e.data() != null) err.set("data", mapper.valueToTree(e.data()));
        return new Answer(id, null, err);
    }

    /**
     * The answer's bytes; a result that cannot be serialized is answered as an internal error. The result is written
     * straight into the bytes: no tree in between (building one took a tenth of a status call's daemon time).
     */
    private byte[] write(Answer answer) {
        try {
            return mapper.writeValueAsBytes(answer);
        } catch (JsonProcessingException | RuntimeException e) {
            try {
                return mapper.writeValueAsBytes(unwritable(answer, e));
            } catch (JsonProcessingException again) {
                throw new IllegalStateException("an error answer always serializes", again);
            }
        }
    }

    /** The internal error that answers a call whose result could not be serialized. */
    private Answer unwritable(Answer answer, Exception e) {
        log.error("internal error writing the answer to call {}", answer.id, e);
        return error(answer.id, new ApiException(ErrorCode.INTERNAL_ERROR, "internal error: " + e));
    }

    /** One call's answer as JSON-RPC puts it: {"jsonrpc":"2.0","id":...} and then its result, or its error object. */
    private record Answer(JsonNode id, Object result, ObjectNode error) implements JsonSerializable {
        Answer(JsonNode id, Object result) {
            this(id, result, null);
        }

        @Override
        public void serialize(JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("jsonrpc", "2.0");
            gen.writeFieldName("id");
            provider.defaultSerializeValue(id, gen);
            if (error == null) {
                gen.writeFieldName("result");
                provider.defaultSerializeValue(result, gen);
            } else {
                gen.writeFieldName("error");
                provider.defaultSerializeValue(error, gen);
            }
            gen.writeEndObject();
        }

        @Override
        public void serializeWithType(JsonGenerator gen, SerializerProvider provider, TypeSerializer typeSer) throws IOException {
            serialize(gen, provider);
        }
    }
}
