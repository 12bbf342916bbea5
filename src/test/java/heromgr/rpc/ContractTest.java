package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.manager.ServiceManager;
import heromgr.manager.ServiceRegistry;
import heromgr.service.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped OpenRPC document and the daemon agree: same methods, same error codes. */
class ContractTest {
    final OpenRpcContract contract = OpenRpcContract.load(JsonCodec.MAPPER);

    @Test
    void theJarServesTheFileAsWritten() throws IOException {
        assertThat(contract.raw()).isEqualTo(Files.readAllBytes(Path.of("openrpc/service_manager.openrpc.json")));
    }

    @Test
    void everyDocumentedMethodIsImplementedAndNoOtherOne() {
        var manager = new ServiceManager(ServiceRegistry.of(heromgr.services.Services.all()), null, null, new heromgr.manager.EventBus());
        Map<String, RpcMethod> table = ServiceMethods.table(manager, contract);
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(contract.methodNames());
        new Dispatcher(contract, table);
    }

    @Test
    void everyDomainErrorCodeIsDocumentedWithItsNumber() {
        Map<Integer, String> documented = new HashMap<>();
        for (JsonNode e : contract.document().at("/components/errors")) {
            documented.put(e.get("code").asInt(), e.get("message").asText());
        }
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(documented.get(c.code())).as(c.name()).isNotBlank();
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
}
