import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.rpc.OpenRpcContract;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * OpenRpcContract.validateParams of the creates of a cold batch (the harness's S1 params: name, argv, restart,
 * restart_tuning), in process, with the daemon's JIT flags and its AOT cache: the thread's CPU ms for the first 100,
 * the next 200 and 700 more, and µs per call over 20,000 warm ones. With "ahead" it first compiles every params
 * schema, as the daemon's contract thread did at every start until session 12 (its CPU is reported). Thread
 * CPU time moves little with the machine's load, so two builds compare even on a busy machine:
 *
 *   javac -d /tmp/cpb -cp "target/heromgr.jar:target/lib/*" bench/CreateParamsBench.java
 *   java -XX:AOTCache=target/heromgr-daemon.aot -XX:+UseSerialGC -Xmx64m -Xmn2m -XX:TieredStopAtLevel=1 \
 *       -cp "target/heromgr.jar:/tmp/cpb" CreateParamsBench [ahead]
 */
public class CreateParamsBench {
    static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        var contract = OpenRpcContract.load(JsonCodec.MAPPER);
        StringBuilder out = new StringBuilder();
        if (args.length > 0 && args[0].equals("ahead")) {
            long t0 = CPU.getCurrentThreadCpuTime();
            contract.compileParamSchemas();
            out.append(String.format("compile ahead %.1f ms  ", ms(t0)));
        }
        JsonNode[] creates = new JsonNode[1000];
        for (int i = 0; i < creates.length; i++) {
            creates[i] = JsonCodec.MAPPER.readTree("{\"name\":\"s" + i + "\",\"argv\":[\"/bin/sleep\",\"100000.t\"],"
                    + "\"restart\":\"always\",\"restart_tuning\":{\"stable_ms\":0,\"start_limit\":0}}");
        }
        int[] blocks = {100, 200, 700};
        int at = 0;
        for (int block : blocks) {
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int i = at; i < at + block; i++) contract.validateParams("service.create", creates[i]);
            out.append(String.format("creates %d-%d %.1f ms  ", at + 1, at + block, ms(t0)));
            at += block;
        }
        long t0 = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < 20_000; i++) contract.validateParams("service.create", creates[i % creates.length]);
        out.append(String.format("warm %.2f µs/call", ms(t0) * 1000 / 20_000));
        System.out.println(out);
    }

    static double ms(long since) {
        return (CPU.getCurrentThreadCpuTime() - since) / 1e6;
    }
}
