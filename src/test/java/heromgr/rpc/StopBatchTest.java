package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.InMemorySupervisor.Call;
import heromgr.testkit.ManagerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch of service.stop, or of service.create: its calls skip their own wait for the state file, and the batch waits
 * once before it answers.
 */
class StopBatchTest {
    @RegisterExtension
    final ManagerFixture fx = new ManagerFixture();

    final OpenRpcContract contract = OpenRpcContract.load(JsonCodec.MAPPER);
    final JsonRpcProcessor rpc = new JsonRpcProcessor(JsonCodec.MAPPER,
            new Dispatcher(contract, ServiceMethods.table(fx.manager, contract, address -> {
                throw new IllegalStateException("no listener here");
            })), fx.manager::related, CallMeter.NONE, fx.manager::deferredPersistence);

    @Test
    void theBatchWaitsForTheStateFileOnceAfterItsLastStop() throws IOException {
        List<String> names = List.of("s1", "s2", "s3", "s4");
        for (String n : names) fx.create(n, List.of(), true, Duration.ofSeconds(10));
        int waits = fx.supervisor.calls("awaitPersisted").size();

        JsonNode answers = batch(names.stream().map(n -> "{\"jsonrpc\":\"2.0\",\"id\":\"" + n
                + "\",\"method\":\"service.stop\",\"params\":{\"name\":\"" + n + "\"}}").toList());

        assertThat(answers).hasSize(4).allSatisfy(a -> assertThat(a.has("error")).as(a.toString()).isFalse());
        assertThat(fx.supervisor.calls("awaitPersisted")).as("one wait for the four stops").hasSize(waits + 1);
        List<Call> calls = fx.supervisor.calls();
        assertThat(calls.getLast()).as("the wait comes after every stop").isEqualTo(new Call("awaitPersisted", null));
        assertThat(fx.supervisor.calls("stop")).hasSize(4);
    }

    @Test
    void aBatchOfCreatesWaitsForTheStateFileOnceAfterItsLastStart() throws IOException {
        List<String> names = List.of("c1", "c2", "c3", "c4");
        int waits = fx.supervisor.calls("awaitPersisted").size();

        JsonNode answers = batch(names.stream().map(n -> "{\"jsonrpc\":\"2.0\",\"id\":\"" + n
                + "\",\"method\":\"service.create\",\"params\":{\"name\":\"" + n + "\",\"argv\":[\"/bin/true\"]}}").toList());

        assertThat(answers).hasSize(4).allSatisfy(a -> assertThat(a.at("/result/state").asText()).as(a.toString()).isEqualTo("RUNNING"));
        assertThat(fx.supervisor.calls("awaitPersisted")).as("one wait for the four starts").hasSize(waits + 1);
        assertThat(fx.supervisor.calls().getLast()).as("the wait comes after every start").isEqualTo(new Call("awaitPersisted", null));
    }

    @Test
    void aWaveOfCreatesAndStopsKeepsEachCallsOwnWait() throws IOException {
        fx.create("s1", List.of(), true, Duration.ofSeconds(10));
        int waits = fx.supervisor.calls("awaitPersisted").size();
        batch(List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.stop\",\"params\":{\"name\":\"s1\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"service.create\",\"params\":{\"name\":\"c1\",\"argv\":[\"/bin/true\"]}}"));
        assertThat(fx.supervisor.calls("awaitPersisted")).as(fx.supervisor.calls().toString()).hasSize(waits + 2);
    }

    @Test
    void aStopBesideAnotherMethodKeepsItsOwnWait() throws IOException {
        fx.create("s1", List.of(), true, Duration.ofSeconds(10));
        assertThat(fx.manager.status("s1").state()).isEqualTo("RUNNING");
        int waits = fx.supervisor.calls("awaitPersisted").size();
        batch(List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.stop\",\"params\":{\"name\":\"s1\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"service.list\"}"));
        assertThat(fx.supervisor.calls("awaitPersisted")).as(fx.supervisor.calls().toString()).hasSize(waits + 1);
    }

    private JsonNode batch(List<String> calls) throws IOException {
        byte[] body = ("[" + String.join(",", calls) + "]").getBytes(StandardCharsets.UTF_8);
        return JsonCodec.MAPPER.readTree(rpc.process(body, Caller.LOCAL).orElseThrow());
    }
}
