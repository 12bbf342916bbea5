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
        if (!r.path("dependencies_started").isEmpty()) line.append("; started its dependencies first: ").append(joined(r.path("dependencies_started")));
        return out.summary(line.toString());
    }

    public static int stop(JsonNode r, HumanOutput out) {
        String stopped = r.path("stopped").isEmpty() ? "nothing was running" : "stopped " + joined(r.path("stopped"));
        // --cascade: the services it took down with it are named, as the start names the dependencies it brought up
        String dependents = r.path("dependents_stopped").isEmpty() ? "" : "; stopped its dependents first: " + joined(r.path("dependents_stopped"));
        return out.summary(text(r, "name") + ": " + out.paintState(text(r, "state")) + "; " + stopped + dependents);
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

    /**
     * What the deploy changed, in one line, then only what needs a look: a failed health check. A deploy that found
     * everything in place says so, and that it left the service alone.
     */
    public static int deploy(JsonNode r, HumanOutput out) {
        String name = text(r, "name");
        JsonNode install = r.path("install");
        String version = install.path("version").isTextual() ? " " + install.path("version").asText() : "";
        String state = out.paintState(text(r, "state"));
        boolean healthy = r.at("/health/ok").asBoolean(false);
        String health = healthy ? ", healthy" : ", not healthy";
        if (!r.path("restarted").asBoolean(true)) {
            return out.summary(name + version + " is already deployed: nothing changed, left running (" + state + health + ")");
        }
        var line = new StringBuilder("deployed ").append(name).append(version);
        if (r.path("build").isObject()) {
            line.append(r.at("/build/skipped").asBoolean(false) ? "; build up to date"
                    : "; built in " + DurationFormat.elapsed(r.at("/build/duration_ms").asLong()));
        }
        line.append(install.path("changed").asBoolean(true) ? "; installed" : "; binaries unchanged");
        line.append("; ").append(state).append(health);
        int code = out.summary(line.toString());
        for (JsonNode check : r.at("/health/checks")) {
            if (!check.path("ok").asBoolean(true)) out.println("  check " + text(check, "target") + ": " + firstLine(text(check, "detail")));
        }
        return healthy ? code : ExitCode.FAILED;
    }

    /** A health body or error cut to its first line, at most a screen wide. */
    static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("").strip();
        return line.length() > 100 ? line.substring(0, 99) + "…" : line;
    }

    public static int restart(JsonNode r, HumanOutput out) {
        return out.summary(text(r, "name") + ": " + out.paintState(text(r, "state"))
                + "; restarted at " + HumanOutput.humanScalar(r.path("restarted_at")));
    }
}
