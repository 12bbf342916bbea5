package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.manager.ServiceManager;
import heromgr.manager.ServiceRegistry;
import heromgr.manager.TransientDefinition;
import heromgr.proc.LogRotation;
import heromgr.proc.RestartPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.manager.EventBus;
import heromgr.services.Services;

/** The shipped OpenRPC document and the daemon agree: same methods, the defaults the handlers rely on. */
class ContractTest {
    final OpenRpcContract contract = OpenRpcContract.load(JsonCodec.MAPPER);

    @Test
    void theJarServesTheFileAsWritten() throws IOException {
        assertThat(contract.raw()).isEqualTo(Files.readAllBytes(Path.of("openrpc/service_manager.openrpc.json")));
    }

    @Test
    void everyDocumentedMethodIsImplementedAndNoOtherOne() {
        var manager = new ServiceManager(ServiceRegistry.of(Services.all()), null, null, new EventBus());
        Map<String, RpcMethod> table = ServiceMethods.table(manager, contract, address -> {
            throw new IllegalStateException("no listener here");
        });
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(contract.methodNames());
        new Dispatcher(contract, table);
    }

    @Test
    void theDocumentHoldsTheDefaultsTheHandlersRead() {
        // the values ServiceMethods kept as constants before the document held them: a change here changes the API
        Map<String, Map<String, String>> expected = Map.ofEntries(
                Map.entry("rpc.http", Map.of("address", "\"127.0.0.1:0\"")),
                Map.entry("service.list", Map.of("usage", "false")),
                Map.entry("service.build", Map.of("force", "false")),
                Map.entry("service.install", Map.of("mode", "\"source\"", "force", "false", "reset", "false")),
                Map.entry("service.start", Map.of("wait", "true", "with_deps", "true", "timeout_ms", "30000", "reset", "false")),
                Map.entry("service.stop", Map.of("cascade", "false")),
                Map.entry("service.up", Map.of("names", "[]", "timeout_ms", "30000")),
                Map.entry("service.down", Map.of("names", "[]")),
                Map.entry("service.restart", Map.of("timeout_ms", "30000")),
                Map.entry("service.upgrade", Map.of("timeout_ms", "30000")),
                Map.entry("service.deploy", Map.of("mode", "\"source\"", "timeout_ms", "30000")),
                Map.entry("service.ops", Map.of("limit", "50", "output_lines", "0")),
                Map.entry("service.logs", Map.of("lines", "100")),
                Map.entry("service.create", Map.of("restart", "\"always\"", "start", "true", "settle_ms", "0",
                        "timeout_ms", "30000")),
                Map.entry("service.delete", Map.of("purge_binaries", "false", "cascade", "false")));
        for (String method : contract.methodNames()) {
            Map<String, String> actual = new HashMap<>();
            contract.paramDefaults(method).forEach((name, value) -> actual.put(name, value.toString()));
            assertThat(actual).as(method).isEqualTo(expected.getOrDefault(method, Map.of()));
        }
    }

    @Test
    void defaultsInsideAnObjectParamAreTheOnesItsUserApplies() {
        Map<String, JsonNode> create = contract.params("service.create");
        JsonNode rotation = create.get("log_rotation").at("/schema/properties");
        assertThat(rotation.at("/max_bytes/default").asLong()).isEqualTo(LogRotation.DEFAULT_MAX_BYTES);
        assertThat(rotation.at("/keep/default").asInt()).isEqualTo(LogRotation.DEFAULT_KEEP);
        JsonNode tuning = create.get("restart_tuning").at("/schema/properties");
        assertThat(tuning.at("/initial_delay_ms/default").asLong()).isEqualTo(RestartPolicy.DEFAULT_INITIAL_DELAY.toMillis());
        assertThat(tuning.at("/stable_ms/default").asLong()).isEqualTo(RestartPolicy.DEFAULT_STABLE_PERIOD.toMillis());
        assertThat(tuning.at("/start_limit/default").asInt()).isEqualTo(RestartPolicy.DEFAULT_START_LIMIT);
        assertThat(create.get("health").at("/schema/properties/path/default").asText())
                .isEqualTo(new TransientDefinition.HealthSpec(Path.of("/run/s.sock"), null).path());
    }

    /** settle_ms defaults to 0 (ready once spawned): the summary must not promise the 300 ms watch that only `heromgr run` asks for. */
    @Test
    void createsSummaryTellsTheSettleDefault() {
        for (JsonNode m : contract.document().get("methods")) {
            if (!m.get("name").asText().equals("service.create")) continue;
            assertThat(contract.paramDefaults("service.create").get("settle_ms").asInt()).isZero();
            assertThat(m.get("summary").asText()).contains("settle_ms").doesNotContain("once it has run 300 ms");
        }
    }

    @Test
    void everyErrorAMethodNamesExists() {
        for (JsonNode m : contract.document().get("methods")) {
            for (JsonNode e : m.path("errors")) {
                assertThat(contract.document().at(e.get("$ref").asText().substring(1)).isMissingNode())
                        .as(m.get("name") + " " + e).isFalse();
            }
        }
    }

    @Test
    void theSharedContractIsLoadedOnceAndIsTheJarsDocument() {
        OpenRpcContract.loadAhead();
        OpenRpcContract shared = OpenRpcContract.shared();
        assertThat(OpenRpcContract.shared()).isSameAs(shared);
        assertThat(shared.raw()).isEqualTo(contract.raw());
        assertThat(shared.methodNames()).isEqualTo(contract.methodNames());
    }

    /**
     * Every method of the shipped document has a hand check, so a daemon compiles no schema ahead (nor loads the
     * validator): the first call the hand check is not sure of compiles its method's, and the validator words the error.
     */
    @Test
    void aSchemaIsCompiledByTheFirstCallTheHandCheckIsNotSureOf() {
        contract.compileSchemasWithoutHandCheck();
        assertThat(contract.compiledMethods()).isEmpty();
        contract.validateParams("service.status", JsonCodec.MAPPER.createObjectNode().put("name", "hero_echo"));
        assertThat(contract.compiledMethods()).isEmpty();
        assertThatThrownBy(() -> contract.validateParams("service.status", JsonCodec.MAPPER.createObjectNode().put("name", 7)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMS))
                .hasMessage("invalid params for service.status: $.name: integer found, string expected");
        assertThat(contract.compiledMethods()).containsExactly("service.status");
    }

    /** A method with a schema the hand check does not take on (a format) is left to the validator, compiled ahead. */
    @Test
    void aSchemaWithoutHandCheckIsCompiledAhead() throws IOException {
        var mini = OpenRpcContract.parse(JsonCodec.MAPPER, """
                {"methods":[
                 {"name":"t.plain","x-heromgr-access":"read","params":[{"name":"name","schema":{"type":"string"}}]},
                 {"name":"t.format","x-heromgr-access":"read","params":[{"name":"at","schema":{"type":"string","format":"date-time"}}]}]}
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(mini.plainCheck("t.plain")).isPresent();
        assertThat(mini.plainCheck("t.format")).isEmpty();
        mini.compileSchemasWithoutHandCheck();
        assertThat(mini.compiledMethods()).containsExactly("t.format");
    }

    /** The daemon compiles one only when a call's params need the validator: a schema that does not compile fails here instead. */
    @Test
    void everyParamsSchemaCompiles() {
        assertThatCode(contract::compileParamSchemas).doesNotThrowAnyException();
    }
}
