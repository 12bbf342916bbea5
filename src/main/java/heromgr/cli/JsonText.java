package heromgr.cli;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * JSON for the CLI: the daemon's answers are read into Jackson {@link JsonNode}s, and requests and --json output
 * written from them, without an ObjectMapper. Making one costs ~30 ms of a ~200 ms call even with the AOT cache
 * (its class initialization is not cached: type factory, date formats, locale data), and a call needs none of
 * its data binding: the trees are built with {@link JsonNodeFactory} and written by hand, exactly as Jackson's
 * default settings read and write them (int/long/BigInteger/double nodes, duplicate keys last-wins, the same
 * string escapes), so what the user sees is unchanged. Only {@link #parse} (params the user typed, whose error
 * messages are Jackson's) still uses a mapper.
 */
public final class JsonText {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Jackson's pretty printer breaks lines with the system's line separator. */
    private static final String NEWLINE = System.lineSeparator();
    private static ObjectMapper mapper;

    private JsonText() {
    }

    private static synchronized ObjectMapper mapper() {
        if (mapper == null) mapper = new ObjectMapper();
        return mapper;
    }

    /**
     * Parses text the user typed (rpc params); the message says what is wrong. Text after the value is wrong too, as
     * the daemon's parser holds it (-32700): readTree alone would drop it and send the first value.
     */
    public static JsonNode parse(String text) throws JsonProcessingException {
        try (JsonParser parser = mapper().createParser(text)) {
            JsonNode value = mapper().readTree(parser);
            if (value != null && parser.nextToken() != null) throw new JsonParseException(parser, "text after the JSON value");
            return value;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a String has nothing to fail to read
        }
    }

    /**
     * Reads one JSON value from UTF-8 bytes (the daemon's answer); null when there is only whitespace. Like
     * Jackson's readTree, anything after the first value is not looked at.
     * @throws IOException the text is not JSON
     */
    public static JsonNode read(byte[] utf8) throws IOException {
        return new Reader(new String(utf8, StandardCharsets.UTF_8)).document();
    }

    /** jq-like layout: `"key": value`, arrays one element per line, two-space indent (Jackson's pretty printer). */
    public static String pretty(JsonNode node) {
        var sb = new StringBuilder(256);
        write(node, sb, true, 0);
        return sb.toString();
    }

    /** On one line without spaces, as {@link JsonNode#toString()} writes it. */
    public static String compact(JsonNode node) {
        var sb = new StringBuilder(128);
        write(node, sb, false, 0);
        return sb.toString();
    }

    /** Writes node, pretty-printed at nesting depth or compact. */
    private static void write(JsonNode node, StringBuilder sb, boolean pretty, int depth) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                sb.append('{');
                if (node.isEmpty()) {
                    sb.append(pretty ? " }" : "}");
                    return;
                }
                boolean first = true;
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    if (!first) sb.append(',');
                    first = false;
                    indent(sb, pretty, depth + 1);
                    quote(field.getKey(), sb);
                    sb.append(pretty ? ": " : ":");
                    write(field.getValue(), sb, pretty, depth + 1);
                }
                indent(sb, pretty, depth);
                sb.append('}');
            }
            case ARRAY -> {
                sb.append('[');
                if (node.isEmpty()) {
                    sb.append(pretty ? " ]" : "]");
                    return;
                }
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) sb.append(',');
                    indent(sb, pretty, depth + 1);
                    write(node.get(i), sb, pretty, depth + 1);
                }
                indent(sb, pretty, depth);
                sb.append(']');
            }
            case STRING -> quote(node.textValue(), sb);
            case NUMBER -> number(node, sb);
            case BOOLEAN -> sb.append(node.booleanValue());
            case NULL, MISSING -> sb.append("null");
            // Binary and POJO nodes never come out of parsing: leave them to Jackson.
            default -> sb.append(node);
        }
    }

    private static void indent(StringBuilder sb, boolean pretty, int depth) {
        if (!pretty) return;
        sb.append(NEWLINE);
        sb.repeat(' ', 2 * depth);
    }

    private static void number(JsonNode node, StringBuilder sb) {
        if (node.isDouble() || node.isFloat()) {
            double d = node.doubleValue();
            // Jackson quotes the non-numeric values (QUOTE_NON_NUMERIC_NUMBERS is on by default).
            if (Double.isNaN(d) || Double.isInfinite(d)) sb.append('"').append(node.asText()).append('"');
            else sb.append(node.isFloat() ? Float.toString(node.floatValue()) : Double.toString(d));
        } else if (node.isBigDecimal()) {
            sb.append(node.decimalValue().toString());
        } else {
            sb.append(node.asText());
        }
    }

    /** A JSON string with Jackson's escapes: \" \\ \b \t \n \f \r, other controls as \\u00XX; the rest as is. */
    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** A strict RFC 8259 reader (no comments, NaN, single quotes or trailing commas: Jackson's defaults). */
    private static final class Reader {
        /** Nesting deeper than Jackson's default limit (StreamReadConstraints) is refused the same way. */
        private static final int MAX_DEPTH = 1000;

        private final String s;
        private int pos;
        private int depth;

        Reader(String s) {
            this.s = s;
        }

        JsonNode document() throws IOException {
            skipBlanks();
            if (pos == s.length()) return null;
            return value();
        }

        private JsonNode value() throws IOException {
            skipBlanks();
            if (pos == s.length()) throw error("unexpected end of input");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> NODES.textNode(string());
                case 't' -> literal("true", NODES.booleanNode(true));
                case 'f' -> literal("false", NODES.booleanNode(false));
                case 'n' -> literal("null", NODES.nullNode());
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private ObjectNode object() throws IOException {
            enter();
            ObjectNode object = NODES.objectNode();
            pos++;
            skipBlanks();
            if (peek() == '}') {
                pos++;
                depth--;
                return object;
            }
            while (true) {
                skipBlanks();
                if (peek() != '"') throw error("expected a field name");
                String name = string();
                skipBlanks();
                expect(':');
                object.set(name, value());
                skipBlanks();
                char c = next();
                if (c == '}') break;
                if (c != ',') throw error("expected ',' or '}'");
            }
            depth--;
            return object;
        }

        private ArrayNode array() throws IOException {
            enter();
            ArrayNode array = NODES.arrayNode();
            pos++;
            skipBlanks();
            if (peek() == ']') {
                pos++;
                depth--;
                return array;
            }
            while (true) {
                array.add(value());
                skipBlanks();
                char c = next();
                if (c == ']') break;
                if (c != ',') throw error("expected ',' or ']'");
            }
            depth--;
            return array;
        }

        private void enter() throws IOException {
            if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        }

        private String string() throws IOException {
            pos++; // the opening quote
            int start = pos;
            // Fast path: no escapes.
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"') return s.substring(start, pos++);
                if (c == '\\' || c < 0x20) break;
                pos++;
            }
            var sb = new StringBuilder(s.length() - start).append(s, start, pos);
            while (true) {
                char c = next();
                if (c == '"') return sb.toString();
                if (c < 0x20) throw error("unescaped control character in a string");
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("unexpected end of input in a \\u escape");
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = Character.digit(s.charAt(pos++), 16);
                            if (digit < 0) throw error("bad \\u escape");
                            code = code * 16 + digit;
                        }
                        sb.append((char) code);
                    }
                    default -> throw error("bad escape '\\" + e + "'");
                }
            }
        }

        /** Integers become int, long or BigInteger nodes by size, fractions double nodes: as Jackson's readTree. */
        private JsonNode number() throws IOException {
            int start = pos;
            if (peek() == '-') pos++;
            int intStart = pos;
            digits();
            if (pos - intStart > 1 && s.charAt(intStart) == '0') throw error("leading zeroes are not allowed");
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                integral = false;
                digits();
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                integral = false;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                digits();
            }
            String text = s.substring(start, pos);
            if (!integral) return NODES.numberNode(Double.parseDouble(text));
            if (pos - intStart <= 18) {
                long l = Long.parseLong(text);
                return l == (int) l ? NODES.numberNode((int) l) : NODES.numberNode(l);
            }
            BigInteger big = new BigInteger(text);
            return big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
        }

        private void digits() throws IOException {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
            if (pos == start) throw error("expected a digit");
        }

        private JsonNode literal(String word, JsonNode node) throws IOException {
            if (!s.startsWith(word, pos)) throw error("unexpected character '" + s.charAt(pos) + "'");
            pos += word.length();
            return node;
        }

        private void skipBlanks() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
                pos++;
            }
        }

        private char peek() throws IOException {
            if (pos >= s.length()) throw error("unexpected end of input");
            return s.charAt(pos);
        }

        private char next() throws IOException {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) throws IOException {
            if (next() != c) throw error("expected '" + c + "'");
        }

        private IOException error(String what) {
            return new IOException("invalid JSON at offset " + pos + ": " + what);
        }
    }
}
