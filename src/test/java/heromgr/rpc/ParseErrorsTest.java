package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Promise 3's "every error names its true cause", for bodies that are not JSON: one malformed body of each kind. */
class ParseErrorsTest {
    /** Parse errors come before any dispatch: the envelope test's processor serves. */
    final JsonRpcProcessor rpc = new JsonRpcProcessorTest().rpc;

    String message(byte[] body) {
        try {
            JsonNode answer = JsonCodec.MAPPER.readTree(rpc.process(body, Caller.LOCAL).orElseThrow());
            assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(-32700);
            assertThat(answer.get("id").isNull()).isTrue();
            return answer.at("/error/message").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    String message(String body) {
        return message(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUnterminatedStringIsNamedAsOne() {
        assertThat(message("{\"jsonrpc\":\"2.0\",\"method\":\"ad"))
                .isEqualTo("parse error: the body ends inside a string (no closing quote) at byte 29");
        assertThat(message("{\"jsonr")).isEqualTo("parse error: the body ends inside a field name (no closing quote) at byte 7");
    }

    @Test
    void aBodyCutShortSaysWhatIsLeftOpen() {
        assertThat(message("{\"a\":1")).isEqualTo("parse error: the body ends inside an object at byte 6");
        assertThat(message("{\"a\":")).isEqualTo("parse error: the body ends inside an object at byte 5");
        assertThat(message("[1,2")).isEqualTo("parse error: the body ends inside an array at byte 4");
    }

    @Test
    void aTrailingCommaIsNamedNotAMissingFieldName() {
        // the parser's own words were "was expecting double-quote to start field name" and "expected a value"
        assertThat(message("{\"a\":1,}")).isEqualTo("parse error: a comma before '}' at byte 7 (JSON allows no trailing comma)");
        assertThat(message("[{\"a\":1}, \n]")).isEqualTo("parse error: a comma before ']' at byte 11 (JSON allows no trailing comma)");
    }

    @Test
    void aBadEscapeIsNamedWithWhereItIs() {
        assertThat(message("{\"a\":\"x\\q\"}")).isEqualTo("parse error: Unrecognized character escape 'q' (code 113) at byte 8");
    }

    @Test
    void bytesThatAreNotUtf8AreNamedSoNotAsAnUnknownToken() {
        // a lone 0xff was "Unrecognized token 'ÿ'"; a surrogate encoded in UTF-8 was accepted
        assertThat(message(new byte[]{(byte) 0xff})).isEqualTo("parse error: the body is not UTF-8: byte 0xff at byte 0");
        assertThat(message(new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'}))
                .isEqualTo("parse error: the body is not UTF-8: byte 0xc3 at byte 6");
        assertThat(message(new byte[]{'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}))
                .isEqualTo("parse error: the body is not UTF-8: byte 0xed at byte 1");
        assertThat(message(new byte[]{'"', (byte) 0xc0, (byte) 0xaf, '"'})).as("an overlong '/'")
                .isEqualTo("parse error: the body is not UTF-8: byte 0xc0 at byte 1");
    }

    @Test
    void aBodyInUtf16OrUtf32IsRefusedNamingItsEncodingNeverReadAsItsText() {
        // without a byte order mark, each was detected by the parser and carried out (its bytes are valid UTF-8)
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rpc.health\"}";
        assertThat(message(call.getBytes(StandardCharsets.UTF_16LE)))
                .isEqualTo("parse error: the body is UTF-16LE (its first bytes: 0x7b 0x00 0x22 0x00), not UTF-8");
        assertThat(message(call.getBytes(StandardCharsets.UTF_16BE)))
                .isEqualTo("parse error: the body is UTF-16BE (its first bytes: 0x00 0x7b 0x00 0x22), not UTF-8");
        assertThat(message(call.getBytes(Charset.forName("UTF-32LE"))))
                .isEqualTo("parse error: the body is UTF-32LE (its first bytes: 0x7b 0x00 0x00 0x00), not UTF-8");
        assertThat(message(call.getBytes(Charset.forName("UTF-32BE"))))
                .isEqualTo("parse error: the body is UTF-32BE (its first bytes: 0x00 0x00 0x00 0x7b), not UTF-8");
        assertThat(message((" " + call).getBytes(StandardCharsets.UTF_16LE))).as("leading whitespace too").startsWith("parse error: the body is UTF-16LE");
        assertThat(message("1".getBytes(StandardCharsets.UTF_16LE))).as("one character").startsWith("parse error: the body is UTF-16LE");
        // with one: the mark itself is not UTF-8, which named the byte but not the encoding
        assertThat(message(call.getBytes(StandardCharsets.UTF_16))).as("Java's UTF-16 writes a big-endian mark")
                .isEqualTo("parse error: the body is UTF-16BE with a byte order mark (its first bytes: 0xfe 0xff 0x00 0x7b), not UTF-8");
        assertThat(message(withMark(new byte[]{(byte) 0xff, (byte) 0xfe}, call.getBytes(StandardCharsets.UTF_16LE))))
                .startsWith("parse error: the body is UTF-16LE with a byte order mark");
        assertThat(message(withMark(new byte[]{0, 0, (byte) 0xfe, (byte) 0xff}, call.getBytes(Charset.forName("UTF-32BE")))))
                .startsWith("parse error: the body is UTF-32BE with a byte order mark");
        assertThat(message(withMark(new byte[]{(byte) 0xff, (byte) 0xfe, 0, 0}, call.getBytes(Charset.forName("UTF-32LE")))))
                .startsWith("parse error: the body is UTF-32LE with a byte order mark");
    }

    @Test
    void aUtf8BodyWithAByteOrderMarkIsReadAsUtf8() throws IOException {
        // RFC 8259 lets a parser ignore the mark; the body is UTF-8 all the same
        byte[] call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no.such\"}".getBytes(StandardCharsets.UTF_8);
        JsonNode answer = JsonCodec.MAPPER.readTree(rpc.process(withMark(new byte[]{(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, call), Caller.LOCAL).orElseThrow());
        assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(-32601);
    }

    private static byte[] withMark(byte[] mark, byte[] text) {
        byte[] out = Arrays.copyOf(mark, mark.length + text.length);
        System.arraycopy(text, 0, out, mark.length, text.length);
        return out;
    }

    @Test
    void anEmptyBodyAndDeepNestingSayTheirCause() {
        assertThat(message("")).isEqualTo("parse error: empty body");
        assertThat(message(" \n ")).isEqualTo("parse error: empty body");
        assertThat(message("[".repeat(100) + "]".repeat(100))).isEqualTo("parse error: nesting deeper than the limit of 64");
    }

    @Test
    void otherMistakesKeepTheParsersWordsAndSayWhere() {
        assertThat(message("{\"a\" 1}")).isEqualTo(
                "parse error: Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value at byte 5");
        assertThat(message("{'a':1}")).startsWith("parse error: Unexpected character (''' (code 39))").endsWith(" at byte 1");
        assertThat(message("{\"a\":01}")).isEqualTo("parse error: Invalid numeric value: Leading zeroes not allowed at byte 6");
    }
}
