package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/**
 * An integer (only a JSON integer: a 1.0 is left to the validator) or a number, with at most inclusive bounds,
 * compared exactly. A number without a finite value (a double that overflowed) is never surely valid.
 */
record NumberCheck(boolean integral, BigDecimal minimum, BigDecimal maximum) implements ValueCheck {
    @Override
    public boolean fits(JsonNode value) {
        if (integral ? !value.isIntegralNumber() : !value.isNumber()) return false;
        if (minimum == null && maximum == null) return true;
        if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) return false;
        BigDecimal d = value.decimalValue();
        return (minimum == null || d.compareTo(minimum) >= 0) && (maximum == null || d.compareTo(maximum) <= 0);
    }
}
