package heromgr.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * The message of a -32700 parse error: what is wrong with the body, in a person's words, and at which byte. The
 * parser's own words name the wrong cause for some mistakes (a trailing comma reads as "was expecting double-quote to
 * start field name", a stray byte that is not UTF-8 as an unrecognized token), so those are recognised here.
 */
final class ParseErrors {
    private ParseErrors() {
    }

    /** The offset of the first byte that is not UTF-8 (a bad sequence, a surrogate, an overlong form), if any. */
    static OptionalLong firstInvalidUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(Math.min(body.length, 4096) + 1);
        while (true) {
            CoderResult r = decoder.decode(in, out.clear(), true);
            if (r.isError()) return OptionalLong.of(in.position());
            if (r.isUnderflow()) return OptionalLong.empty();
        }
    }

    static String notUtf8(byte[] body, long at) {
        return String.format("parse error: the body is not UTF-8: byte 0x%02x at byte %d", body[(int) at] & 0xff, at);
    }

    /** The message for the parser's failure on this body. */
    static String describe(byte[] body, IOException e) {
        if (!(e instanceof JsonProcessingException jpe) || jpe.getLocation() == null) {
            return "parse error: " + firstLine(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        long at = jpe.getLocation().getByteOffset();
        if (e instanceof JsonEOFException eof) return "parse error: " + endedEarly(eof) + " at byte " + at;
        if (trailingComma(body, at)) {
            return "parse error: a comma before '" + (char) body[(int) at] + "' at byte " + at + " (JSON allows no trailing comma)";
        }
        return "parse error: " + firstLine(jpe.getOriginalMessage()) + " at byte " + at;
    }

    private static String endedEarly(JsonEOFException eof) {
        JsonToken inside = eof.getTokenBeingDecoded();
        if (inside == JsonToken.VALUE_STRING) return "the body ends inside a string (no closing quote)";
        if (inside == JsonToken.FIELD_NAME) return "the body ends inside a field name (no closing quote)";
        String said = eof.getOriginalMessage();
        if (said.contains("close marker for Object") || said.contains("Object entries")) return "the body ends inside an object";
        if (said.contains("close marker for Array")) return "the body ends inside an array";
        return "the body ends before its JSON value does";
    }

    /** The failing byte closes an object or array right after a comma (whitespace between allowed). */
    private static boolean trailingComma(byte[] body, long at) {
        if (at < 1 || at >= body.length || (body[(int) at] != '}' && body[(int) at] != ']')) return false;
        int i = (int) at - 1;
        while (i >= 0 && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) i--;
        return i >= 0 && body[i] == ',';
    }

    /** The parser's first line, without its note on where the source is (which it never shows). */
    private static String firstLine(String m) {
        String line = m.lines().findFirst().orElse(m);
        int source = line.indexOf(" (start marker at [Source");
        return source < 0 ? line : line.substring(0, source);
    }
}
