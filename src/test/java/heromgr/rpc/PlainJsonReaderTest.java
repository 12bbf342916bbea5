package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand reader of plain calls reads exactly Jackson's tree, or nothing (the body then goes to Jackson). */
class PlainJsonReaderTest {
    private static final List<String> PIECES = List.of("{", "}", "\"", ":", ",", " ", "\n", "\\", "-", "0", "1", "7", ".",
            "e", "true", "false", "null", "nul", "[", "]", "é", "\t", "\"jsonrpc\"", "\"2.0\"", "\"id\"", "\"method\"",
            "\"service.status\"", "\"params\"", "\"name\"", "\"a-b_c.1\"", "123456789", "1234567890", "2147483648", "x");

    private static Optional<ObjectNode> plain(String body) {
        return PlainJsonReader.read(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Jackson's tree of body, or null when Jackson refuses it. */
    private static JsonNode jackson(String body) {
        try {
            var parser = JsonCodec.MAPPER.createParser(body.getBytes(StandardCharsets.UTF_8));
            JsonNode value = JsonCodec.MAPPER.readTree(parser);
            return parser.nextToken() == null ? value : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void sameAsJackson(String body) {
        Optional<ObjectNode> read = plain(body);
        if (read.isEmpty()) return;
        JsonNode expected = jackson(body);
        assertThat(expected).as(body).isNotNull();
        assertThat(read.get()).as(body).isEqualTo(expected);
        assertThat(read.get().toString()).as(body).isEqualTo(expected.toString());
    }

    @Test
    void aPlainCallIsReadAsJacksonReadsIt() {
        for (String body : List.of(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.status\",\"params\":{\"name\":\"crash\"}}",
                "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"service.status\", \"params\": {\"name\": \"crash\"}}",
                " {\"id\":-42,\"method\":\"service.status\",\"params\":{},\"x\":null,\"y\":true,\"z\":false}\r\n",
                "{\"id\":0,\"id2\":\"\",\"method\":\"service.status\"}", "{}", "{\"id\":999999999}", "{\"id\":\"~\\u007f\"}")) {
            if (!body.contains("\\")) assertThat(plain(body)).as(body).isPresent();
            sameAsJackson(body);
        }
    }

    @Test
    void anythingLessPlainIsLeftToJackson() {
        for (String body : List.of("{\"name\":\"a\\\"b\"}", "{\"name\":\"é\"}", "{\"id\":1.5}", "{\"id\":1e3}", "{\"id\":01}",
                "{\"id\":-0}", "{\"id\":1234567890}", "{\"id\":[1]}", "{\"a\":1,\"a\":2}", "{\"p\":{\"q\":{}}}", "[]", "\"x\"",
                "{\"id\":1} x", "{\"id\":1", "{\"id\":tru}", "{\"id\":truex}", "{\"id\" 1}", "{\"id\":1,}", "{,}", "",
                "{\"name\":\"tab\there\"}")) {
            assertThat(plain(body)).as(body).isEmpty();
        }
    }

    @Test
    void randomBodiesAreReadAsJacksonReadsThemOrNotAtAll() {
        Random random = new Random(15);
        int read = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder body = new StringBuilder(i % 3 == 0 ? "{\"id\":" : "{");
            for (int n = random.nextInt(24); n > 0; n--) body.append(PIECES.get(random.nextInt(PIECES.size())));
            String text = body.toString();
            sameAsJackson(text);
            if (plain(text).isPresent()) read++;
        }
        // mutations of a real call hit the plain reader's every branch, and many of them stay readable
        String call = "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"service.status\",\"params\":{\"name\":\"svc-1\"}}";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder body = new StringBuilder(call);
            int at = random.nextInt(body.length());
            switch (random.nextInt(3)) {
                case 0 -> body.deleteCharAt(at);
                case 1 -> body.insert(at, PIECES.get(random.nextInt(PIECES.size())));
                default -> body.replace(at, at + 1, PIECES.get(random.nextInt(PIECES.size())));
            }
            sameAsJackson(body.toString());
            if (plain(body.toString()).isPresent()) read++;
        }
        assertThat(read).isGreaterThan(1000);
    }
}
