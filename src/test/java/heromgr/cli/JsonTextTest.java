package heromgr.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CLI's mapper-free JSON reads and writes exactly what Jackson's defaults would. */
class JsonTextTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The layout the CLI printed with an ObjectMapper before: the reference for {@link JsonText#pretty}. */
    private static final DefaultPrettyPrinter JQ_LIKE = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);

    private static final List<String> SAMPLES = List.of(
            "{}", "[]", "null", "true", "false", "0", "-0", "42", "-7", "2147483647", "2147483648", "-2147483648",
            "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "123456789012345678901234567890", "0.5", "-0.0", "1e3", "1E-7", "2.5e+10", "123456789.123456789",
            "\"\"", "\"plain\"", "\"quote \\\" backslash \\\\ slash \\/ tab \\t nl \\n cr \\r bs \\b ff \\f\"",
            "\"controls \\u0000 \\u0001 \\u001f del \\u007f\"", "\"unicode é ✓ 😀 \\u00e9 \\ud83d\\ude00\"",
            " { \"a\" : 1 , \"b\" : [ 1 , 2 , { } , [ ] , [ [ ] ] ] , \"c\" : { \"d\" : null } } ",
            "{\"dup\":1,\"other\":2,\"dup\":3}",
            "[{\"name\":\"hero_echo\",\"state\":\"RUNNING\",\"actions\":[{\"name\":\"server\",\"pid\":12,"
                    + "\"uptime_ms\":252000,\"last_exit\":{\"code\":0,\"signal\":0,\"requested\":true},"
                    + "\"depends_on\":[\"a\",\"b\"]}],\"healthy\":null}]",
            "{\"nested\":[[[{\"x\":[1.25,-3,\"s\"]}]]]}");

    private static JsonNode read(String text) throws IOException {
        return JsonText.read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheTreesJacksonReads() throws IOException {
        for (String sample : SAMPLES) {
            JsonNode ours = read(sample);
            JsonNode jacksons = MAPPER.readTree(sample);
            assertThat(ours).as(sample).isEqualTo(jacksons);
            // Equal trees may still differ in node classes (IntNode vs LongNode compare unequal, but be explicit).
            assertThat(ours.getClass()).as(sample).isEqualTo(jacksons.getClass());
            assertThat(ours.numberType()).as(sample).isEqualTo(jacksons.numberType());
        }
    }

    @Test
    void writesWhatJacksonWrites() throws IOException {
        for (String sample : SAMPLES) {
            JsonNode tree = MAPPER.readTree(sample);
            assertThat(JsonText.pretty(tree)).as(sample).isEqualTo(MAPPER.writer(JQ_LIKE).writeValueAsString(tree));
            assertThat(JsonText.compact(tree)).as(sample).isEqualTo(tree.toString());
            assertThat(JsonText.compact(tree)).as(sample).isEqualTo(MAPPER.writeValueAsString(tree));
        }
    }

    @Test
    void blankInputIsNoValue() throws IOException {
        assertThat(read("")).isNull();
        assertThat(read(" \n\t ")).isNull();
    }

    @Test
    void refusesWhatJacksonRefuses() {
        for (String bad : List.of("{", "[1,]", "{\"a\":1,}", "{'a':1}", "{a:1}", "[01]", "[1.]", "[.5]", "[-]",
                "\"open", "[\"tab\there\"]", "[\"\\x\"]", "[\"\\u12\"]", "NaN", "[nul]", "{\"a\" 1}", "[1 2]", "+1")) {
            assertThatThrownBy(() -> MAPPER.readTree(bad)).as("jackson: " + bad).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }
}
