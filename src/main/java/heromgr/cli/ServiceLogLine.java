package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One line of `heromgr logs`: a service.logs entry (or one read from the files) with the service it belongs to. */
record ServiceLogLine(String service, Instant time, String action, String stream, String line) {
    /** journalctl's short form, with milliseconds: "Dec 05 14:30:01.123", in the local time zone. */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss.SSS", Locale.ENGLISH);

    static ServiceLogLine of(String service, JsonNode entry) {
        return new ServiceLogLine(service, Instant.parse(entry.path("time").asText()), entry.path("action").asText(),
                entry.path("stream").asText(), entry.path("line").asText());
    }

    boolean stderr() {
        return "stderr".equals(stream);
    }

    ObjectNode json() {
        return JsonNodeFactory.instance.objectNode().put("time", time.toString()).put("service", service)
                .put("action", action).put("stream", stream).put("line", line);
    }

    /**
     * "Dec 05 14:30:01.123 svc/main: text" — the source only when the output mixes several (withService: services;
     * withAction: actions), stderr lines marked "[stderr]" (red on a colour terminal).
     */
    String human(Terminal terminal, ZoneId zone, boolean withService, boolean withAction) {
        var out = new StringBuilder(LOCAL.format(time.atZone(zone))).append(' ');
        if (withService) out.append(service).append(withAction ? "/" + action : "").append(": ");
        else if (withAction) out.append(action).append(": ");
        if (stderr()) out.append(terminal.paint("31", "[stderr]")).append(' ');
        return out.append(line).toString();
    }
}
