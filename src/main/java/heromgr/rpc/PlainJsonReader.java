package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The tree of a call written in the plainest JSON, read without Jackson's parser: an object whose values are ASCII
 * strings without escapes, integers of at most 9 digits, true, false, null, or one more such object (the params).
 * Anything else (an escape, a fraction, an array, a key given twice, deeper nesting, a non-ASCII byte) is not read
 * here: the caller parses the body with Jackson. What it reads is the tree Jackson reads from the same bytes
 * (PlainJsonReaderTest holds it to Jackson); a quick read's parse was a quarter of a status call's garbage.
 */
final class PlainJsonReader {
    /** The call, then its params. */
    private static final int MAX_DEPTH = 2;
    /** The keys and fixed values of a status call, shared instead of read afresh each time (as Jackson's name table does). */
    private static final List<String> KNOWN = List.of("jsonrpc", "id", "method", "params", "name", "2.0", "service.status");
    private static final List<byte[]> KNOWN_BYTES = KNOWN.stream().map(k -> k.getBytes(StandardCharsets.US_ASCII)).toList();

    private final byte[] in;
    private int at;

    private PlainJsonReader(byte[] in) {
        this.in = in;
    }

    /** The body's object, when it is plain (see the class) and nothing but whitespace follows it. */
    static Optional<ObjectNode> read(byte[] body) {
        var reader = new PlainJsonReader(body);
        ObjectNode value = reader.object(1);
        if (value == null) return Optional.empty();
        reader.skipSpace();
        return reader.at == body.length ? Optional.of(value) : Optional.empty();
    }

    private ObjectNode object(int depth) {
        skipSpace();
        if (!take('{')) return null;
        // a call has a handful of keys: Jackson's default table of 16 entries is twice what it needs
        ObjectNode node = new ObjectNode(JsonNodeFactory.instance, new LinkedHashMap<>(8));
        skipSpace();
        if (take('}')) return node;
        do {
            skipSpace();
            String key = string();
            skipSpace();
            if (key == null || !take(':')) return null;
            JsonNode value = value(depth);
            if (value == null || node.replace(key, value) != null) return null;
            skipSpace();
        } while (take(','));
        return take('}') ? node : null;
    }

    private JsonNode value(int depth) {
        skipSpace();
        if (at >= in.length) return null;
        byte c = in[at];
        if (c == '"') {
            String text = string();
            return text == null ? null : TextNode.valueOf(text);
        }
        if (c == '{') return depth < MAX_DEPTH ? object(depth + 1) : null;
        if (c == '-' || c >= '0' && c <= '9') return integer();
        if (word("true")) return BooleanNode.TRUE;
        if (word("false")) return BooleanNode.FALSE;
        return word("null") ? NullNode.instance : null;
    }

    /** At most 9 digits (an int), no leading zero, no "-0": what Jackson reads as an IntNode of the same value. */
    private JsonNode integer() {
        boolean negative = take('-');
        int first = at;
        int value = 0;
        while (at < in.length && at - first < 10 && in[at] >= '0' && in[at] <= '9') value = value * 10 + in[at++] - '0';
        int digits = at - first;
        if (digits == 0 || digits > 9 || in[first] == '0' && (digits > 1 || negative)) return null;
        return IntNode.valueOf(negative ? -value : value);
    }

    /** A string of printable ASCII without escapes; null for anything else (a byte over 0x7F is negative here). */
    private String string() {
        if (!take('"')) return null;
        int start = at;
        for (; at < in.length; at++) {
            byte c = in[at];
            if (c == '"') {
                String text = known(start, at);
                at++;
                return text;
            }
            if (c == '\\' || c < 0x20) return null;
        }
        return null;
    }

    private String known(int start, int end) {
        for (int k = 0; k < KNOWN_BYTES.size(); k++) {
            byte[] known = KNOWN_BYTES.get(k);
            if (Arrays.equals(known, 0, known.length, in, start, end)) return KNOWN.get(k);
        }
        return new String(in, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private boolean word(String word) {
        int n = word.length();
        if (at + n > in.length) return false;
        for (int i = 0; i < n; i++) {
            if (in[at + i] != word.charAt(i)) return false;
        }
        at += n;
        return true;
    }

    private boolean take(char c) {
        if (at < in.length && in[at] == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (at < in.length && (in[at] == ' ' || in[at] == '\n' || in[at] == '\r' || in[at] == '\t')) at++;
    }
}
