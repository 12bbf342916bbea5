package heromgr.rpc;

import com.networknt.schema.regex.RegularExpressionFactory;

import java.util.regex.Pattern;

/**
 * The JSON Schema validator's patterns: {@link SchemaPattern}'s compilation, matched anywhere in the text as the
 * standard says. A class of its own, apart from SchemaPattern, so that the hand check's patterns load none of the
 * validator's classes.
 */
final class ValidatorPatterns {
    static final RegularExpressionFactory FACTORY = regex -> {
        Pattern p = SchemaPattern.compile(regex);
        return value -> p.matcher(value).find();
    };

    private ValidatorPatterns() {
    }
}
