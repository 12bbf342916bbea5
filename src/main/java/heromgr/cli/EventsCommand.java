package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * `heromgr events`: follows the daemon's event stream (GET /events) and prints one line per event until
 * interrupted or the daemon stops. With --json each line is the event's JSON as the daemon sent it.
 */
final class EventsCommand extends LeafCommand {
    private static final String TYPE = "--type";
    private static final String SERVICE = "--service";

    EventsCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("events", "Follow the daemon's events: operations, health and state changes, process exits.");
        GlobalOptions.declare(spec);
        spec.addOption(valueOption(TYPE, "T[,T]", String.class, "Only these types: operation, health, state, job."));
        spec.addOption(valueOption(SERVICE, "S[,S]", String.class, "Only these services."));
        return spec;
    }

    @Override
    public Integer call() {
        GlobalOptions global = GlobalOptions.read(commandSpec());
        return SseClient.follow(terminal, global.socket(terminal.env()), path(), data -> {
            try {
                terminal.out().println(global.json() ? data : human(JsonText.parse(data)));
            } catch (IOException e) {
                terminal.out().println(data);
            }
        });
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
