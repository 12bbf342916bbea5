package heromgr.it;

import heromgr.proc.ActionSpec;
import heromgr.proc.HealthCheck;
import heromgr.proc.RestartPolicy;
import heromgr.service.Ctx;
import heromgr.testkit.TestService;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A test service: one action "main" running argv (no build, no install), logging to main.log. Without checks it
 * is ready once spawned; with probeRpcSocket it is healthy only when something answers on its rpc.sock. shape
 * adds to the action what a test needs (a reclaimed port, a check the supervisor monitors).
 */
record CommandService(String name, List<String> argv, List<String> dependsOn, RestartPolicy restart, boolean probeRpcSocket,
                      BiFunction<Ctx, ActionSpec, ActionSpec> shape) implements TestService {

    static CommandService of(String name, String... argv) {
        return new CommandService(name, List.of(argv), List.of(), RestartPolicy.always(), false, (ctx, a) -> a);
    }

    CommandService dependingOn(String... deps) {
        return new CommandService(name, argv, List.of(deps), restart, probeRpcSocket, shape);
    }

    /** Never restarted, and healthy only when its rpc.sock answers (which a plain command never does). */
    CommandService neverHealthy() {
        return new CommandService(name, argv, dependsOn, RestartPolicy.never(), true, shape);
    }

    /** Never restarted, its action shaped further by the test. */
    CommandService shaped(BiFunction<Ctx, ActionSpec, ActionSpec> extra) {
        return new CommandService(name, argv, dependsOn, RestartPolicy.never(), probeRpcSocket, extra);
    }

    @Override
    public List<ActionSpec> actions(Ctx ctx) {
        return List.of(shape.apply(ctx, ActionSpec.process("main", argv, Map.of(), ctx.paths().home(), logDir(ctx).resolve("main.log"))
                .withRestart(restart)));
    }

    @Override
    public List<HealthCheck> healthChecks(Ctx ctx) {
        return probeRpcSocket ? List.of(HealthCheck.HttpUnix.of(rpcSocket(ctx))) : TestService.super.healthChecks(ctx);
    }
}
