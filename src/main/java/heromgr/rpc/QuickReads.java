package heromgr.rpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Optional;
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

    /**
     * The reader of a quick read's body: the mapper's, refusing a key given twice in any object (a second "method" is
     * the processor's to judge, not this shortcut's). Without a repeated key its tree is the one the processor reads.
     */
    static ObjectReader reader(ObjectMapper mapper) {
        return mapper.reader().with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    }

    /**
     * The call, when body is one JSON object whose "method" names a quick read and nothing follows it: parsed once,
     * the processor answers this tree (the rest, its params included, is the processor's to check). A plain body is
     * read by hand (PlainJsonReader), any other by Jackson.
     */
    static Optional<JsonNode> call(ObjectReader reader, byte[] body) {
        if (body.length > MAX_BODY) return Optional.empty();
        Optional<ObjectNode> plain = PlainJsonReader.read(body);
        JsonNode call = plain.isPresent() ? plain.get() : parsed(reader, body);
        if (call == null || !call.isObject()) return Optional.empty();
        JsonNode method = call.get("method");
        return method != null && method.isTextual() && METHODS.contains(method.textValue()) ? Optional.of(call) : Optional.empty();
    }

    /** The body's one JSON value; null when it is not valid UTF-8, not JSON, or followed by more than whitespace. */
    private static JsonNode parsed(ObjectReader reader, byte[] body) {
        if (ParseErrors.notUtf8(body).isPresent()) return null;
        try (JsonParser parser = reader.createParser(body)) {
            JsonNode value = reader.readTree(parser);
            return parser.nextToken() == null ? value : null;
        } catch (IOException e) {
            return null;
        }
    }
}
