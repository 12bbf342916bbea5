package heromgr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** `heromgr rpc`: any method of the API, for scripts and for methods the CLI has no command for. */
@Command(name = "rpc", description = "Call a JSON-RPC method and print its result as JSON.")
public final class RpcCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "METHOD", description = "The method, e.g. service.list or rpc.discover.")
    String method;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PARAMS",
            description = "The params as a JSON object or array, e.g. '{\"name\":\"hero_echo\"}'.")
    String params;

    @Override
    public Integer call() {
        JsonNode parsed = parseParams();
        // The result is JSON whatever the flags say: this command exists for scripts.
        return new RpcSession(main.terminal(), global).invoke(method, parsed, (result, out) -> {
            if (!global.json()) out.println(JsonText.pretty(result));
            return ExitCode.OK;
        });
    }

    private JsonNode parseParams() {
        if (params == null) return null;
        JsonNode parsed;
        try {
            parsed = JsonText.parse(params);
        } catch (JsonProcessingException e) {
            throw new ParameterException(spec.commandLine(), "PARAMS is not valid JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isContainerNode()) {
            throw new ParameterException(spec.commandLine(), "PARAMS must be a JSON object or array");
        }
        return parsed;
    }
}
