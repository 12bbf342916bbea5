package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's schema wording becomes a person's, for every pattern the OpenRPC document has. */
class ParamProblemsTest {
    @Test
    void everyPatternOfTheDocumentIsSaidInWordsAndNoOtherIs() throws IOException {
        JsonNode document = JsonCodec.MAPPER.readTree(Path.of("openrpc/service_manager.openrpc.json").toFile());
        Set<String> patterns = new TreeSet<>();
        collectPatterns(document, patterns);

        assertThat(ParamProblems.PATTERNS.keySet()).containsExactlyInAnyOrderElementsOf(patterns);
    }

    @Test
    void theEventTypesAreTheDocumentsEnum() throws IOException {
        JsonNode document = JsonCodec.MAPPER.readTree(Path.of("openrpc/service_manager.openrpc.json").toFile());
        JsonNode types = document.at("/components/schemas/Event/properties/type/enum");

        var documented = new ArrayList<String>();
        types.forEach(t -> documented.add(t.asText()));
        assertThat(EventsCommand.TYPES).containsExactlyElementsOf(documented);
        assertThat(types).isNotEmpty();
    }

    private static void collectPatterns(JsonNode node, Set<String> into) {
        if (node.has("pattern") && node.get("pattern").isTextual()) into.add(node.get("pattern").asText());
        for (JsonNode child : node) collectPatterns(child, into);
    }

    @Test
    void namesTheValueGivenAndItsRule() throws IOException {
        JsonNode params = JsonText.parse("{\"name\":\"Bad\",\"lines\":0,\"mode\":\"x\"}");
        String message = "invalid params for service.logs: $.lines: must have a minimum value of 1; "
                + "$.mode: does not have a value in the enumeration [source, download]; "
                + "$.name: does not match the regex pattern ^[a-z][a-z0-9_]{0,63}$";

        assertThat(ParamProblems.describe(message, params)).containsExactly(
                "invalid --lines '0': it must be at least 1",
                "invalid --mode 'x': it must be one of source, download",
                "invalid service name 'Bad': service names are lowercase letters, digits and _, start with a letter, at most 64 long");
        assertThat(ParamProblems.describe("invalid params for service.create: argv[0] is empty", null))
                .containsExactly("argv[0] is empty");
    }
}
