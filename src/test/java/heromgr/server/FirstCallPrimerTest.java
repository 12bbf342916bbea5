package heromgr.server;

import heromgr.api.ErrorCode;
import heromgr.fs.JsonCodec;
import heromgr.rpc.Dispatcher;
import heromgr.rpc.JsonRpcProcessor;
import heromgr.rpc.OpenRpcContract;
import heromgr.rpc.ServiceMethods;
import heromgr.testkit.ManagerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up's in-process first calls: they answer, only read, and are told to the meter they are given. */
class FirstCallPrimerTest {
    @RegisterExtension
    final ManagerFixture fixture = new ManagerFixture();

    record Metered(String method, ErrorCode failure) {
    }

    @Test
    void listsAndAsksTheStatusOfAnAbsentServiceChangingNothing() throws InterruptedException {
        fixture.create("kept", List.of(), false, Duration.ofSeconds(5));
        List<String> changesBefore = fixture.supervisor.changes();
        List<Metered> metered = Collections.synchronizedList(new ArrayList<>());
        var contract = OpenRpcContract.shared();
        var dispatcher = new Dispatcher(contract, ServiceMethods.table(fixture.manager, contract, address -> {
            throw new IllegalStateException("no listener here");
        }));
        var rpc = new JsonRpcProcessor(JsonCodec.MAPPER, dispatcher, name -> Set.of(),
                (method, failure, nanos) -> metered.add(new Metered(method, failure)));

        assertThat(FirstCallPrimer.start(rpc).join(Duration.ofSeconds(30))).isTrue();

        assertThat(metered).containsExactly(new Metered("service.list", null),
                new Metered("service.status", ErrorCode.SERVICE_NOT_FOUND));
        assertThat(fixture.listed()).containsExactly("kept");
        assertThat(fixture.supervisor.changes()).isEqualTo(changesBefore);
    }
}
