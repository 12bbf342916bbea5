package heromgr.api;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One entry of the OpenRPC document's components/errors, as the tests read it: its name, code and meaning. */
record DocumentedError(String name, int code, String meaning) {
    static final Path DOCUMENT = Path.of("openrpc/service_manager.openrpc.json");

    static List<DocumentedError> all() throws IOException {
        JsonNode errors = JsonCodec.MAPPER.readTree(DOCUMENT.toFile()).path("components").path("errors");
        List<DocumentedError> out = new ArrayList<>();
        errors.properties().forEach(e -> out.add(
                new DocumentedError(e.getKey(), e.getValue().path("code").asInt(), e.getValue().path("message").asText())));
        return out;
    }

    /** The document's key for an enum constant: NOT_APPLICABLE → NotApplicable. */
    static String nameOf(ErrorCode code) {
        var out = new StringBuilder();
        for (String word : code.name().split("_")) out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        return out.toString();
    }

    /** The name as words: NotApplicable → [not, applicable]. */
    List<String> words() {
        return Arrays.stream(name.split("(?=\\p{Upper})")).map(w -> w.toLowerCase(Locale.ROOT)).toList();
    }
}
