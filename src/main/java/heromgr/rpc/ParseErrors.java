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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;

/**
 * The message of a -32700 parse error: what is wrong with the body, in a person's words, and at which byte. The
 * parser's own words name the wrong cause for some mistakes (a trailing comma reads as "was expecting double-quote to
 * start field name", a stray byte that is not UTF-8 as an unrecognized token), so those are recognised here.
 */
final class ParseErrors {
    /**
     * UTF-16 and UTF-32 by a byte order mark, or by the zeros of the first character (RFC 4627, section 3: a JSON
     * text begins with an ASCII character, whose other bytes in those encodings are zeros).
     */
    private static final List<Signature> OTHER_ENCODINGS = List.of(
            new Signature("00 00 fe ff", "UTF-32BE with a byte order mark"),
            new Signature("ff fe 00 00", "UTF-32LE with a byte order mark"),
            new Signature("fe ff", "UTF-16BE with a byte order mark"),
            new Signature("ff fe", "UTF-16LE with a byte order mark"),
            new Signature("00 00 00 xx", "UTF-32BE"),
            new Signature("xx 00 00 00", "UTF-32LE"),
            new Signature("00 xx", "UTF-16BE"),
            new Signature("xx 00", "UTF-16LE"));

    private ParseErrors() {
    }

    /**
     * Why the body is not UTF-8, if it is not: UTF-16 or UTF-32 (named with its byte order, by its byte order mark or by
     * the zero bytes its first characters have), or the first byte that is no part of UTF-8. A JSON text in UTF-16 or
     * UTF-32 without a mark is made of valid UTF-8 bytes when it is ASCII, and the parser would detect and read it as
     * such: it is refused here, before the parser sees it.
     */
    static Optional<String> notUtf8(byte[] body) {
        String encoding = otherEncoding(body);
        if (encoding != null) {
            var first = new StringJoiner(" ");
            for (int i = 0; i < Math.min(4, body.length); i++) first.add(hex(body[i]));
            return Optional.of("parse error: the body is " + encoding + " (its first bytes: " + first + "), not UTF-8");
        }
        OptionalLong bad = firstInvalidUtf8(body);
        if (bad.isEmpty()) return Optional.empty();
        int at = (int) bad.getAsLong();
        return Optional.of("parse error: the body is not UTF-8: byte " + hex(body[at]) + " at byte " + at);
    }

    /**
     * A body's first bytes that show its encoding, written as hex ("xx": any byte but zero) and read once, since every
     * request's body is looked at; the first signature that matches names it.
     */
    private record Signature(int[] bytes, String encoding) {
        private static final int ANY_BUT_ZERO = -1;

        Signature(String hex, String encoding) {
            this(Arrays.stream(hex.split(" ")).mapToInt(b -> b.equals("xx") ? ANY_BUT_ZERO : Integer.parseInt(b, 16)).toArray(), encoding);
        }

        boolean matches(byte[] body) {
            if (body.length < bytes.length) return false;
            for (int i = 0; i < bytes.length; i++) {
                int got = body[i] & 0xff;
                if (bytes[i] == ANY_BUT_ZERO ? got == 0 : got != bytes[i]) return false;
            }
            return true;
        }
    }

    private static String otherEncoding(byte[] body) {
        for (Signature s : OTHER_ENCODINGS) {
            if (s.matches(body)) return s.encoding();
        }
        return null;
    }

    private static String hex(byte b) {
        return String.format("0x%02x", b & 0xff);
    }

    /** The offset of the first byte that is not UTF-8 (a bad sequence, a surrogate, an overlong form), if any. */
    private static OptionalLong firstInvalidUtf8(byte[] body) {
        // ASCII is UTF-8, and nearly every body is ASCII: a decoder and its buffer per call were ~5% of a status call's garbage
        if (isAscii(body)) return OptionalLong.empty();
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

    private static boolean isAscii(byte[] body) {
        for (byte b : body) {
            if (b < 0) return false;
        }
        return true;
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
