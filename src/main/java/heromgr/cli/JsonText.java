package heromgr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The CLI's one ObjectMapper, made on first use: building it loads a few hundred classes, which a run that
 * fails before talking to the daemon should not pay for.
 */
public final class JsonText {
    private static ObjectMapper mapper;

    private JsonText() {
    }

    public static synchronized ObjectMapper mapper() {
        if (mapper == null) mapper = new ObjectMapper();
        return mapper;
    }

    /** jq-like layout: `"key": value`, arrays one element per line, two-space indent. */
    public static String pretty(JsonNode node) {
        var printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        ObjectWriter writer = mapper().writer(printer);
        try {
            return writer.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree we parsed ourselves always serializes; failing here is a bug, not an input problem.
            throw new IllegalStateException(e);
        }
    }

    /** Parses text the user typed (rpc params); the message says what is wrong. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return mapper().readTree(text);
    }
}
