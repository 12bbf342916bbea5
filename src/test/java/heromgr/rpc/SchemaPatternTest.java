package heromgr.rpc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON Schema patterns read as ECMA-262 reads them: `$` is the end of the text, not also the place before a last newline. */
class SchemaPatternTest {
    @Test
    void dollarEndsTheTextOutsideClassesAndEscapes() {
        assertThat(SchemaPattern.strictEnds("^[a-z]+$")).isEqualTo("^[a-z]+\\z");
        assertThat(SchemaPattern.strictEnds("^[$a]\\$x$")).isEqualTo("^[$a]\\$x\\z");
        assertThat(SchemaPattern.strictEnds("^(a|b$)$")).isEqualTo("^(a|b\\z)\\z");
    }

    @Test
    void aLastNewlineNoLongerFits() {
        var name = SchemaPattern.compile("^[a-z][a-z0-9_]{0,63}$");
        assertThat(name.matcher("hero_echo").find()).isTrue();
        assertThat(name.matcher("hero_echo\n").find()).isFalse();
        assertThat(ValidatorPatterns.FACTORY.getRegularExpression("^[a-z]+$").matches("tx\n")).isFalse();
        assertThat(ValidatorPatterns.FACTORY.getRegularExpression("^[a-z]+$").matches("tx")).isTrue();
        assertThat(ValidatorPatterns.FACTORY.getRegularExpression("[0-9]").matches("v1")).as("unanchored: found anywhere").isTrue();
    }
}
