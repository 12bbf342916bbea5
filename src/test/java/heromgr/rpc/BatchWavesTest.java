package heromgr.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which calls of a batch may run together: never two touching the same service or related services. */
class BatchWavesTest {
    private static final Map<String, Set<String>> RELATED = Map.of("api", Set.of("db"), "db", Set.of("api"));

    private static List<List<Integer>> waves(String json) throws IOException {
        return BatchWaves.of((ArrayNode) JsonCodec.MAPPER.readTree(json), n -> RELATED.getOrDefault(n, Set.of()));
    }

    private static String call(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    @Test
    void unrelatedServicesShareOneWave() throws IOException {
        assertThat(waves("[" + call("service.create", "{\"name\":\"a\"}") + "," + call("service.create", "{\"name\":\"b\"}") + ","
                + call("service.list", "{}") + "]")).containsExactly(List.of(0, 1, 2));
    }

    @Test
    void theSameServiceTwiceKeepsItsOrder() throws IOException {
        assertThat(waves("[" + call("service.stop", "{\"name\":\"a\"}") + "," + call("service.stop", "{\"name\":\"b\"}") + ","
                + call("service.start", "{\"name\":\"a\"}") + "]")).containsExactly(List.of(0, 1), List.of(2));
    }

    @Test
    void aDependencyNamedInTheBatchOrByTheRegistryOpensANewWave() throws IOException {
        assertThat(waves("[" + call("service.create", "{\"name\":\"x\"}") + ","
                + call("service.create", "{\"name\":\"y\",\"depends_on\":[\"x\"]}") + "]")).containsExactly(List.of(0), List.of(1));
        assertThat(waves("[" + call("service.start", "{\"name\":\"db\"}") + "," + call("service.start", "{\"name\":\"api\"}") + "]"))
                .containsExactly(List.of(0), List.of(1));
    }

    /** A dependent the batch creates itself is related from then on: the registry does not know it when the batch is planned. */
    @Test
    void aDependencyMadeByTheBatchsOwnCreateKeepsLaterCallsInOrder() throws IOException {
        assertThat(waves("[" + call("service.create", "{\"name\":\"x\"}") + ","
                + call("service.create", "{\"name\":\"y\",\"depends_on\":[\"x\"]}") + ","
                + call("service.stop", "{\"name\":\"x\",\"cascade\":true}") + "," + call("service.start", "{\"name\":\"y\"}") + "]"))
                .containsExactly(List.of(0), List.of(1), List.of(2), List.of(3));
    }

    /** A cascading stop reaches dependents of dependents, a start dependencies of dependencies: not only direct ones. */
    @Test
    void servicesRelatedThroughOthersKeepTheirOrder() throws IOException {
        Map<String, Set<String>> chain = Map.of("a", Set.of("b"), "b", Set.of("a", "c"), "c", Set.of("b", "d"), "d", Set.of("c"));
        var batch = (ArrayNode) JsonCodec.MAPPER.readTree("[" + call("service.stop", "{\"name\":\"a\",\"cascade\":true}") + ","
                + call("service.start", "{\"name\":\"d\"}") + "," + call("service.status", "{\"name\":\"e\"}") + "]");
        assertThat(BatchWaves.of(batch, n -> chain.getOrDefault(n, Set.of()))).containsExactly(List.of(0), List.of(1, 2));
    }

    @Test
    void aCascadingDeleteRunsAlone() throws IOException {
        assertThat(waves("[" + call("service.stop", "{\"name\":\"a\"}") + "," + call("service.delete", "{\"name\":\"b\",\"cascade\":true}")
                + "," + call("service.stop", "{\"name\":\"c\"}") + "]")).containsExactly(List.of(0), List.of(1), List.of(2));
    }
}
