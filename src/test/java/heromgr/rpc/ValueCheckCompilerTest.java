package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which schemas the hand check takes on: the keywords it knows, well formed; anything else is left to the validator. */
class ValueCheckCompilerTest {
    static final JsonNode DOCUMENT = json("""
            {"components":{"schemas":{"State":{"type":"string","enum":["RUNNING","STOPPED"]},
             "Loop":{"$ref":"#/components/schemas/Loop"},"Port":{"type":"integer","minimum":1,"maximum":65535}}}}
            """);
    final ValueCheckCompiler compiler = new ValueCheckCompiler(DOCUMENT);

    @Test
    void aSchemaWithAKeywordItDoesNotKnowIsNotPlain() {
        for (String schema : List.of("true", "{}", "{\"type\":[\"string\",\"null\"]}", "{\"type\":\"null\"}",
                "{\"type\":\"string\",\"format\":\"date-time\"}", "{\"oneOf\":[{\"type\":\"string\"}]}",
                "{\"type\":\"string\",\"const\":\"a\"}", "{\"type\":\"integer\",\"exclusiveMinimum\":0}",
                "{\"type\":\"integer\",\"multipleOf\":2}", "{\"type\":\"array\",\"items\":true}",
                "{\"type\":\"array\",\"contains\":{\"type\":\"string\"}}", "{\"type\":\"object\",\"minProperties\":1}",
                "{\"type\":\"object\",\"propertyNames\":{\"type\":\"integer\"}}",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"format\":\"uri\"}}}",
                "{\"type\":\"object\",\"patternProperties\":{\"^a\":{\"type\":\"string\"}}}")) {
            assertThat(compiler.compile(json(schema))).as(schema).isEmpty();
        }
    }

    @Test
    void aKnownKeywordWithAValueOfTheWrongFormIsNotPlain() {
        for (String schema : List.of("{\"type\":\"string\",\"minLength\":-1}", "{\"type\":\"string\",\"maxLength\":\"3\"}",
                "{\"type\":\"string\",\"pattern\":7}", "{\"type\":\"string\",\"pattern\":\"(\"}",
                "{\"type\":\"integer\",\"maximum\":\"9\"}", "{\"type\":\"string\",\"enum\":\"a\"}",
                "{\"type\":\"array\",\"prefixItems\":{}}", "{\"type\":\"array\",\"uniqueItems\":1}",
                "{\"type\":\"object\",\"required\":[1]}", "{\"type\":\"object\",\"additionalProperties\":1}")) {
            assertThat(compiler.compile(json(schema))).as(schema).isEmpty();
        }
    }

    @Test
    void aRefIntoTheComponentsIsFollowedAndNoOtherOne() {
        ValueCheck state = compiler.compile(json("{\"$ref\":\"#/components/schemas/State\",\"description\":\"d\"}")).orElseThrow();
        assertThat(state.fits(json("\"RUNNING\""))).isTrue();
        assertThat(state.fits(json("\"running\""))).isFalse();
        ValueCheck ports = compiler.compile(json("{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Port\"}}")).orElseThrow();
        assertThat(ports.fits(json("[1,65535]"))).isTrue();
        assertThat(ports.fits(json("[0]"))).isFalse();
        for (String schema : List.of("{\"$ref\":\"#/components/schemas/Loop\"}", "{\"$ref\":\"#/components/schemas/None\"}",
                "{\"$ref\":\"https://example.com/s.json\"}", "{\"$ref\":\"#/components/schemas/Port\",\"maximum\":80}")) {
            assertThat(compiler.compile(json(schema))).as(schema).isEmpty();
        }
    }

    @Test
    void propertyNamesMayLeaveOutTheType() {
        ValueCheck env = compiler.compile(json("""
                {"type":"object","propertyNames":{"pattern":"^[A-Z]+$","maxLength":3},"additionalProperties":{"type":"string"}}
                """)).orElseThrow();
        assertThat(env.fits(json("{\"AB\":\"x\"}"))).isTrue();
        assertThat(env.fits(json("{\"ABCD\":\"x\"}"))).isFalse();
        assertThat(env.fits(json("{\"ab\":\"x\"}"))).isFalse();
        assertThat(env.fits(json("{\"AB\":1}"))).isFalse();
    }

    static JsonNode json(String text) {
        try {
            return JsonCodec.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
