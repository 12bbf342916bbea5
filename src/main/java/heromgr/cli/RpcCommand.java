package heromgr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** `heromgr rpc`: any method of the API, for scripts and for methods the CLI has no command for. */
final class RpcCommand extends LeafCommand {
    RpcCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("rpc", "Call a JSON-RPC method and print its result as JSON.");
        GlobalOptions.declare(spec);
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).paramLabel("METHOD").type(String.class)
                .description("The method, e.g. service.list or rpc.discover.").build());
        spec.addPositional(PositionalParamSpec.builder().index("1").arity("0..1").paramLabel("PARAMS").type(String.class)
                .description("The params as a JSON object or array, e.g. '{\"name\":\"hero_echo\"}'.").build());
        return spec;
    }

    @Override
    public Integer call() {
        JsonNode params = parseParams(positional(1));
        GlobalOptions global = GlobalOptions.read(commandSpec());
        // The result is JSON whatever the flags say: this command exists for scripts.
        return new RpcSession(terminal, global, commandSpec()).invoke(positional(0), params, (result, out) -> {
            if (!global.json()) out.println(JsonText.pretty(result));
            return ExitCode.OK;
        });
    }

    private JsonNode parseParams(String text) {
        if (text == null) return null;
        JsonNode parsed;
        try {
            parsed = JsonText.parse(text);
        } catch (JsonProcessingException e) {
            throw new ParameterException(commandSpec().commandLine(), "PARAMS is not valid JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isContainerNode()) {
            throw new ParameterException(commandSpec().commandLine(), "PARAMS must be a JSON object or array");
        }
        return parsed;
    }
}
