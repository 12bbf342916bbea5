import heromgr.fs.JsonCodec;
import heromgr.rpc.*;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.*;

/**
 * JsonRpcProcessor.process of a service.status call in process (no socket, no Jetty), with the daemon's JIT flags:
 * the thread's CPU µs per call over the first 1000, 2000, 3000 calls and two warm blocks of 20000. Thread CPU time
 * moves little with the machine's load, so two builds compare even on a busy machine (issue 15):
 *
 *   javac -d /tmp/rb -cp "target/heromgr.jar:target/lib/*" bench/RpcBench.java
 *   java -XX:+UseSerialGC -Xmx64m -Xmn2m -XX:TieredStopAtLevel=1 -cp "/tmp/rb:target/heromgr.jar:target/lib/*" RpcBench
 */
public class RpcBench {
    public static void main(String[] a) throws Exception {
        var contract = OpenRpcContract.load(JsonCodec.MAPPER);
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("name", "main"); action.put("state", "RUNNING"); action.put("pid", 11869); action.put("uptime_ms", 12561L);
        action.put("restart_count", 0); action.put("last_exit", null); action.put("log_file", "/tmp/home/var/log/crash/main.log");
        action.put("healthy", null); action.put("health", List.of());
        action.put("jobs", List.of(new LinkedHashMap<>(Map.of("id", 1, "pid", 11869, "start", Instant.now()))));
        action.put("reason", null);
        Map<String, Object> status = new LinkedHashMap<>(Map.of("name", "crash", "state", "RUNNING"));
        status.put("actions", List.of(action));
        Map<String, RpcMethod> methods = new HashMap<>();
        for (String m : contract.methodNames()) methods.put(m, (p, c) -> status);
        var rpc = new JsonRpcProcessor(JsonCodec.MAPPER, new Dispatcher(contract, methods));
        byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.status\",\"params\":{\"name\":\"crash\"}}".getBytes(StandardCharsets.UTF_8);
        var mx = ManagementFactory.getThreadMXBean();
        StringBuilder out = new StringBuilder();
        int[] blocks = {1000, 1000, 1000, 20000, 20000};
        int n = 0;
        for (int b : blocks) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < b; i++) rpc.process(body, Caller.LOCAL);
            n += b;
            out.append(String.format("calls..%d: %.1f us  ", n, (mx.getCurrentThreadCpuTime() - c0) / 1000.0 / b));
        }
        System.out.println(out.toString() + new String(rpc.process(body, Caller.LOCAL).get()).length() + " bytes");
    }
}
