package heromgr.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import heromgr.manager.Event;
import heromgr.manager.EventBus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * GET /events: server-sent events, filtered by {@code ?type=a,b&service=x,y}, with a heartbeat comment every
 * {@link #HEARTBEAT} so idle connections stay open and dead clients are noticed. Runs on the request's own
 * virtual thread until the client goes away or the daemon stops.
 */
final class EventStream {
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** The types events have (the document's Event.type). */
    static final List<String> TYPES = List.of("operation", "health", "state", "job");

    private final EventBus bus;
    private final ObjectMapper mapper;

    EventStream(EventBus bus, ObjectMapper mapper) {
        this.bus = bus;
        this.mapper = mapper;
    }

    boolean handle(Request request, Response response, Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        Set<String> types = list(query, "type");
        for (String t : types) {
            // no event would ever pass: the stream would be heartbeats only, and a typo would look like a quiet daemon
            if (!TYPES.contains(t)) return JsonAnswer.refuse(response, callback, 400, "type '" + t + "' is not an event type: " + String.join(", ", TYPES));
        }
        return SseResponse.serve(response, callback, out -> {
            try (EventBus.Subscription sub = bus.subscribe(types, list(query, "service"))) {
                out.comment("heromgr events");
                while (true) {
                    Event e = sub.next(HEARTBEAT);
                    if (bus.isClosed(e)) return;
                    long lost = sub.takeLost();
                    if (lost > 0) out.send("event: lost\ndata: {\"lost\":" + lost + "}\n\n");
                    if (e == null) out.comment("heartbeat");
                    else out.send(frame(e));
                }
            }
        });
    }

    private String frame(Event e) throws IOException {
        var data = mapper.writeValueAsString(Map.of("seq", e.seq(), "type", e.type(), "service", e.service() == null ? "" : e.service(),
                "at", e.at().toString(), "data", e.data() == null ? Map.of() : e.data()));
        return "id: " + e.seq() + "\nevent: " + e.type() + "\ndata: " + data + "\n\n";
    }

    private static Set<String> list(Fields query, String name) {
        String v = query.getValue(name);
        if (v == null || v.isBlank()) return Set.of();
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
