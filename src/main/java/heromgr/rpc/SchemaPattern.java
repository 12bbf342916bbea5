package heromgr.rpc;

import java.util.regex.Pattern;

/**
 * A JSON Schema `pattern` compiled for Java. The document's patterns are ECMA-262, where `$` ends the text; Java's `$`
 * also matches before a last line break, so "tx\n" fit `^[a-z][a-z0-9_]{0,63}$` and a service named with a newline was
 * created (its files and log folder too). Here every `$` outside a character class means the end of the text (`\z`).
 * The hand check uses these directly, the JSON Schema validator through {@link ValidatorPatterns}: the same patterns.
 */
final class SchemaPattern {
    private SchemaPattern() {
    }

    static Pattern compile(String ecma) {
        return Pattern.compile(strictEnds(ecma));
    }

    /** `$` outside a character class and not escaped becomes `\z`. */
    static String strictEnds(String regex) {
        var out = new StringBuilder(regex.length() + 4);
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                out.append(c).append(regex.charAt(++i));
                continue;
            }
            if (c == '[') inClass = true;
            else if (c == ']') inClass = false;
            if (c == '$' && !inClass) out.append("\\z");
            else out.append(c);
        }
        return out.toString();
    }
}
