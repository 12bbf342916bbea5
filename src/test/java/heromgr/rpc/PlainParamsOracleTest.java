package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand check against the JSON Schema validator as the oracle, on params generated from the daemon's own document
 * ({@link NearSchemaValues}: shaped by each method's schemas, at and past their edges, strays): whenever the hand check
 * says "surely valid", the validator finds nothing wrong. A miss the other way only costs time (the validator then
 * decides), but the ordinary params of each method must be caught, or the validator would be back on the hot path.
 */
class PlainParamsOracleTest {
    static final OpenRpcContract CONTRACT = OpenRpcContract.load(JsonCodec.MAPPER);
    static final NearSchemaValues WILD = new NearSchemaValues(CONTRACT.document(), true);
    static final NearSchemaValues TAME = new NearSchemaValues(CONTRACT.document(), false);

    @Property(tries = 5000)
    void surelyValidOnlyWhatTheValidatorFindsNothingWrongWith(@ForAll("wildCalls") Tuple.Tuple2<String, JsonNode> call) {
        assertSurelyValidImpliesValid(call.get1(), call.get2());
    }

    @Property(tries = 5000)
    void surelyValidOnlyWhatTheValidatorFindsNothingWrongWithNearlyValidOnes(@ForAll("tameCalls") Tuple.Tuple2<String, JsonNode> call) {
        assertSurelyValidImpliesValid(call.get1(), call.get2());
    }

    private static void assertSurelyValidImpliesValid(String method, JsonNode params) {
        if (CONTRACT.plainCheck(method).orElseThrow().surelyValid(params)) {
            assertThat(CONTRACT.schemaProblems(method, params)).as(method + " " + params).isEmpty();
        }
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, JsonNode>> wildCalls() {
        return calls(WILD);
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, JsonNode>> tameCalls() {
        return calls(TAME);
    }

    /** Every method, the create (the one with nested schemas) half of the time. */
    private static Arbitrary<Tuple.Tuple2<String, JsonNode>> calls(NearSchemaValues values) {
        Arbitrary<String> methods = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(List.copyOf(CONTRACT.methodNames()))),
                Tuple.of(1, Arbitraries.just("service.create")));
        return methods.flatMap(m -> values.params(CONTRACT.params(m)).map(p -> Tuple.of(m, p)));
    }

    /**
     * Of the generated creates the validator finds nothing wrong with, the hand check is sure of most: the ones it
     * leaves are those it is stricter on by design (a prefix item that does not fit items, a 1.0, long astral texts).
     */
    @Example
    void theHandCheckIsSureOfMostValidCreates() {
        var check = CONTRACT.plainCheck("service.create").orElseThrow();
        int valid = 0, sure = 0;
        for (JsonNode p : TAME.params(CONTRACT.params("service.create")).sampleStream().limit(4000).toList()) {
            if (!CONTRACT.schemaProblems("service.create", p).isEmpty()) continue;
            valid++;
            if (check.surelyValid(p)) sure++;
        }
        assertThat(valid).as("valid creates generated").isGreaterThan(100);
        assertThat(sure).as("of %d valid creates", valid).isGreaterThan(valid * 8 / 10);
    }
}
