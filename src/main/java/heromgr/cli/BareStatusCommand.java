package heromgr.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import heromgr.cli.ServiceCommand.Operation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * `heromgr status NAME` and `heromgr service status NAME` exactly so, the commonest call, run without picocli:
 * building its command model and parsing was ~20 ms of CPU of a ~200 ms call. It makes the same call through the
 * same {@link RpcSession} as the status command picocli would have run, so output and exit codes are that
 * command's; anything else on the line (an option, several names, all, an @file) goes to picocli.
 */
final class BareStatusCommand {
    private static final String STATUS = "status";
    /** A name picocli would pass through untouched, and not `all` (a walk over every service). */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private BareStatusCommand() {
    }

    /** The exit code of the call, or empty when args are not a bare status (picocli runs them). */
    static Optional<Integer> run(String[] args, Terminal terminal) {
        String name;
        String qualifiedName;
        if (args.length == 2 && args[0].equals(STATUS)) {
            name = args[1];
            qualifiedName = "heromgr status";
        } else if (args.length == 3 && args[0].equals("service") && args[1].equals(STATUS)) {
            name = args[2];
            qualifiedName = "heromgr service status";
        } else {
            return Optional.empty();
        }
        if (name.equals(AllServices.ALL) || !PLAIN_NAME.matcher(name).matches()) return Optional.empty();
        Operation status = ServiceCommand.Status.OPERATION;
        var session = new RpcSession(terminal, new GlobalOptions(null, false), UsageError.seeHelp(qualifiedName));
        try {
            return Optional.of(session.invoke(status.method(), JsonNodeFactory.instance.objectNode().put("name", name), status.view()));
        } catch (RuntimeException e) {
            return Optional.of(Main.unexpected(terminal, e));
        }
    }
}
