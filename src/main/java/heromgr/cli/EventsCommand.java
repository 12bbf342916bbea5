package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * `heromgr events`: follows the daemon's event stream (GET /events) and prints one line per event until
 * interrupted or the daemon stops. With --json each line is the event's JSON as the daemon sent it.
 */
final class EventsCommand extends LeafCommand {
    private static final String TYPE = "--type";
    private static final String SERVICE = "--service";
    /** The Event schema's "type" enum in the OpenRPC document (a test holds them together). */
    static final List<String> TYPES = List.of("operation", "health", "state", "job");

    EventsCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("events", "Follow the daemon's events: operations, health and state changes, process exits.");
        GlobalOptions.declare(spec);
        spec.addOption(choiceOption(TYPE, "T[,T]", TYPES, "Only these types: " + String.join(", ", TYPES) + "."));
        spec.addOption(valueOption(SERVICE, "S[,S]", String.class, "Only these services."));
        return spec;
    }

    @Override
    public Integer call() {
        GlobalOptions global = GlobalOptions.read(commandSpec());
        checkTypes(option(TYPE));
        checkServices(option(SERVICE));
        return SseClient.follow(terminal, global.socket(terminal.env()), path(), global.json(), data -> {
            try {
                terminal.out().println(global.json() ? data : human(JsonText.parse(data)));
            } catch (IOException e) {
                terminal.out().println(data);
            }
        });
    }

    /** An unknown type would filter out every event, silently: refused as the mistake it is. */
    private void checkTypes(String types) {
        if (types == null) return;
        for (String type : types.split(",")) {
            if (!TYPES.contains(type.strip())) {
                throw new ParameterException(commandSpec().commandLine(),
                        "unknown event type '" + type.strip() + "' (the types: " + String.join(", ", TYPES) + ")");
            }
        }
    }

    /** A name no service can have filters out every event as silently; a name not yet taken is fine (a service to come). */
    private void checkServices(String services) {
        if (services == null) return;
        for (String name : services.split(",")) {
            if (!OfflineLogs.NAME.matcher(name.strip()).matches()) {
                throw new ParameterException(commandSpec().commandLine(),
                        "invalid service name '" + name.strip() + "': " + ParamProblems.PATTERNS.get("^" + OfflineLogs.NAME.pattern() + "$"));
            }
        }
    }

    private String path() {
        var sb = new StringBuilder("/events");
        char sep = '?';
        for (String[] q : new String[][] {{"type", option(TYPE)}, {"service", option(SERVICE)}}) {
            if (q[1] == null) continue;
            sb.append(sep).append(q[0]).append('=').append(URLEncoder.encode(q[1], StandardCharsets.UTF_8));
            sep = '&';
        }
        return sb.toString();
    }

    private static String human(JsonNode e) {
        String at = e.path("at").asText();
        String time = at.length() >= 19 ? at.substring(11, 19) : at;
        return time + "  " + e.path("type").asText() + "  " + e.path("service").asText() + "  " + e.path("data");
    }
}
