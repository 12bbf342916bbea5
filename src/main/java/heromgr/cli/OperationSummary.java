package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;

import static heromgr.cli.HumanOutput.joined;
import static heromgr.cli.HumanOutput.text;

/**
 * One-line summaries of the lifecycle operations' results (build, install, start, stop, restart): what
 * happened first, then the few fields a human checks. Each method is a {@link ResultView}.
 */
public final class OperationSummary {
    private OperationSummary() {
    }

    public static int build(JsonNode r, HumanOutput out) {
        String name = text(r, "name");
        if (r.path("skipped").asBoolean(false)) return out.summary(name + " already built, skipped");
        String summary = "built " + name + " (" + text(r, "profile") + ") in "
                + DurationFormat.elapsed(r.path("duration_ms").asLong());
        return out.fileOperation(summary, r.path("binaries"));
    }

    public static int install(JsonNode r, HumanOutput out) {
        String name = text(r, "name");
        String version = r.path("version").isTextual() ? " " + r.path("version").asText() : "";
        if (!r.path("changed").asBoolean(true)) {
            return out.summary(name + version + " already installed, unchanged");
        }
        int exit = out.fileOperation("installed " + name + version, r.path("installed"));
        r.path("assets").properties().forEach(e -> out.olderAsset(e.getKey(), e.getValue().asText()));
        return exit;
    }

    public static int start(JsonNode r, HumanOutput out) {
        var line = new StringBuilder(text(r, "name")).append(": ").append(out.paintState(text(r, "state")));
        if (r.path("installed").isTextual()) line.append("; installed ").append(r.path("installed").asText()).append(" first");
        if (r.path("reset").asBoolean(false)) line.append("; reset");
        JsonNode healthy = r.path("healthy");
        if (healthy.isBoolean()) line.append(healthy.asBoolean() ? ", healthy" : ", not healthy");
        if (!r.path("started").isEmpty()) line.append("; started ").append(joined(r.path("started")));
        if (!r.path("already_running").isEmpty()) line.append("; already running: ").append(joined(r.path("already_running")));
        return out.summary(line.toString());
    }

    public static int stop(JsonNode r, HumanOutput out) {
        String stopped = r.path("stopped").isEmpty() ? "nothing was running" : "stopped " + joined(r.path("stopped"));
        return out.summary(text(r, "name") + ": " + out.paintState(text(r, "state")) + "; " + stopped);
    }

    /** What is gone, and what stays: a service class is code, so delete stops it and drops its state but it remains listed. */
    public static int delete(JsonNode r, HumanOutput out) {
        var parts = new ArrayList<String>();
        if (!r.path("removed").isEmpty()) parts.add("deleted " + joined(r.path("removed")));
        if (!r.path("kept").isEmpty()) {
            parts.add("stopped " + joined(r.path("kept")) + " and dropped its runtime state; it stays listed: a service class is code,"
                    + " remove it from services/ to delete it");
        }
        if (!r.path("purged_binaries").isEmpty()) parts.add("removed " + joined(r.path("purged_binaries")));
        return out.summary(String.join("; ", parts));
    }

    public static int restart(JsonNode r, HumanOutput out) {
        return out.summary(text(r, "name") + ": " + out.paintState(text(r, "state"))
                + "; restarted at " + text(r, "restarted_at"));
    }
}
