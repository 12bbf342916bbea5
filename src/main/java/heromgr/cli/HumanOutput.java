package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.cli.TableFormat.Cell;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The human-readable rendering of each result shape the daemon answers with. One method per shape; commands
 * pick theirs as a {@link ResultView}. Absent or null values show as "-" so columns never collapse.
 */
public final class HumanOutput {
    private static final String GREEN = "32";
    private static final String RED = "31";
    private static final String YELLOW = "33";
    private static final String DIM = "2";


    private final Terminal terminal;

    public HumanOutput(Terminal terminal) {
        this.terminal = terminal;
    }

    public void println(String line) {
        terminal.out().println(line);
    }

    public void print(TableFormat table) {
        for (String line : table.render(terminal)) println(line);
    }

    /** service.list: one row per service. */
    public int serviceList(JsonNode services) {
        if (services.isEmpty()) println("no services registered");
        else print(serviceTable(services));
        return ExitCode.OK;
    }

    /**
     * service.up / service.down: one row per service in walk order, then what happened in one line and, when the walk
     * was blocked, the service that blocked it and why. Exits 1 when it was.
     */
    public int fleet(JsonNode r) {
        var table = new TableFormat("SERVICE", "LEVEL", "OUTCOME", "STATE", "HEALTHY", "TIME");
        var counts = new TreeMap<String, Integer>();
        for (JsonNode m : r.path("services")) {
            table.row(Cell.of(text(m, "name")), Cell.of(text(m, "level")), Cell.of(text(m, "outcome")), state(m.path("state")),
                    serviceHealthy(m), Cell.of(DurationFormat.elapsed(m.path("duration_ms").asLong())));
            counts.merge(text(m, "outcome").replace('_', ' '), 1, Integer::sum);
        }
        if (table.size() > 0) print(table);
        var done = new ArrayList<String>();
        counts.forEach((outcome, n) -> done.add(n + " " + outcome));
        String what = text(r, "direction") + ": " + (done.isEmpty() ? "no services" : String.join(", ", done))
                + " in " + DurationFormat.elapsed(r.path("duration_ms").asLong());
        boolean ok = r.path("ok").asBoolean(false);
        println(ok ? what : what + "; " + terminal.paint(RED, "blocked by " + text(r, "blocked_by")) + ": " + text(r, "error"));
        return ok ? ExitCode.OK : ExitCode.FAILED;
    }

    /** One row a service, as `list` and `top` show it: "-" for what does not apply (no process, not asked, unreadable). */
    TableFormat serviceTable(Iterable<JsonNode> services) {
        var table = new TableFormat("NAME", "TYPE", "STATE", "HEALTHY", "PID", "UPTIME", "RESTARTS", "CPU", "MEM", "VERSION", "DEPENDS_ON");
        for (JsonNode s : services) {
            JsonNode uptime = s.path("uptime_ms");
            JsonNode cpu = s.path("cpu_percent");
            JsonNode memory = s.path("memory_bytes");
            table.row(Cell.of(text(s, "name")), Cell.of(text(s, "type")), state(s.path("state")), serviceHealthy(s),
                    Cell.of(text(s, "pid")), Cell.of(uptime.isNumber() ? DurationFormat.uptime(uptime.asLong()) : "-"),
                    Cell.of(text(s, "restarts")), Cell.of(cpu.isNumber() ? String.format(Locale.ROOT, "%.1f%%", cpu.asDouble()) : "-"),
                    Cell.of(memory.isNumber() ? ProgressBar.size(memory.asLong()) : "-"), Cell.of(text(s, "version")),
                    Cell.of(joined(s.path("depends_on"))));
        }
        return table;
    }

    /** service.status: the service's state, then one row per action; exits 0 only when it runs (see ExitCode.ofState). */
    public int status(JsonNode status) {
        println(text(status, "name") + ": " + paintState(text(status, "state")));
        var table = new TableFormat("ACTION", "STATE", "PID", "UPTIME", "RESTARTS", "LAST_EXIT");
        for (JsonNode a : status.path("actions")) {
            JsonNode uptime = a.path("uptime_ms");
            boolean live = a.path("pid").asLong(0) > 0;   // pid 0: no process runs
            table.row(Cell.of(text(a, "name")), state(a.path("state")), Cell.of(live ? text(a, "pid") : "-"),
                    Cell.of(live && uptime.isNumber() ? DurationFormat.uptime(uptime.asLong()) : "-"),
                    Cell.of(text(a, "restart_count")), Cell.of(lastExit(a.path("last_exit"))));
        }
        if (table.size() > 0) print(table);
        return ExitCode.ofState(text(status, "state"));
    }

    /**
     * service.health: the verdict, then one row per check; a failing service exits 1 so scripts can poll it. A service
     * not running has no checks probed: the line says its state instead.
     */
    public int health(JsonNode health) {
        boolean ok = health.path("ok").asBoolean(false);
        String state = text(health, "state");
        boolean down = !ok && !List.of("RUNNING", "STARTING", "-").contains(state);
        String why = down ? " (not running: " + paintState(state) + ")" : "";
        println(text(health, "name") + ": " + (ok ? terminal.paint(GREEN, "healthy") : terminal.paint(RED, "unhealthy")) + why);
        var table = new TableFormat("CHECK", "TARGET", "OK", "STATUS", "LATENCY", "DETAIL");
        for (JsonNode c : health.path("checks")) {
            JsonNode latency = c.path("latency_ms");
            table.row(Cell.of(text(c, "kind")), Cell.of(text(c, "target")), healthy(c.path("ok")),
                    Cell.of(text(c, "status")), Cell.of(latency.isNumber() ? latency.asLong() + " ms" : "-"),
                    Cell.of(text(c, "detail")));
        }
        if (table.size() > 0) print(table);
        return ok ? ExitCode.OK : ExitCode.FAILED;
    }

    /** service.verify: the verdict, one row per binary, then each failing point; not ok exits 1. */
    public int verify(JsonNode v) {
        boolean ok = v.path("ok").asBoolean(false);
        println(text(v, "name") + ": " + (ok ? terminal.paint(GREEN, "verified") : terminal.paint(RED, "verification failed")));
        var table = new TableFormat("BINARY", "PRESENT", "EXECUTABLE", "ELF", "SHA256", "FRESH");
        for (JsonNode b : v.path("binaries")) {
            String sha = text(b, "sha256");
            table.row(Cell.of(text(b, "path")), healthy(b.path("present")), healthy(b.path("executable")), healthy(b.path("elf")),
                    Cell.of(sha.length() > 12 ? sha.substring(0, 12) + "…" : sha), healthy(b.path("fresh")));
        }
        if (table.size() > 0) print(table);
        for (JsonNode b : v.path("binaries")) {
            olderAsset(Path.of(text(b, "path")).getFileName().toString(), b.path("asset").asText(null));
        }
        for (JsonNode p : v.path("problems")) println("  " + p.asText());
        return ok ? ExitCode.OK : ExitCode.FAILED;
    }

    /** service.logs: the lines exactly as logged, so they can be piped into grep. */
    public int logLines(JsonNode logs) {
        for (JsonNode line : logs.path("lines")) println(line.asText());
        return ExitCode.OK;
    }

    /** service.inspect (and any nested object): indented `key: value` lines. */
    public int tree(JsonNode node) {
        List<String> lines = new ArrayList<>();
        if (node.isObject()) treeLines(node, "", lines);
        else lines.add(scalar(node));
        for (String line : lines) println(line);
        return ExitCode.OK;
    }

    private void treeLines(JsonNode object, String indent, List<String> lines) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String key = indent + field.getKey() + ":";
            JsonNode value = field.getValue();
            if (value.isObject()) {
                lines.add(key);
                treeLines(value, indent + "  ", lines);
            } else if (value.isArray() && hasContainers(value)) {
                lines.add(key);
                for (JsonNode element : value) {
                    // Each object of an array is its own block, marked with "-" like YAML so blocks stay apart.
                    lines.add(indent + "  -");
                    if (element.isContainerNode()) treeLines(element, indent + "    ", lines);
                    else lines.add(indent + "    " + scalar(element));
                }
            } else if (field.getKey().endsWith("_ms") && value.isNumber()) {
                // uptime_ms: 252000 reads as uptime: 4m12s
                String name = field.getKey().substring(0, field.getKey().length() - 3);
                lines.add(indent + name + ": " + DurationFormat.human(value.asLong()));
            } else {
                lines.add(key + " " + (value.isArray() ? joined(value) : humanScalar(value)));
            }
        }
    }

    /**
     * The shapes humanScalar recognises, made on its first use: a `status NAME` never needs them, and the formatter
     * alone sets up java.time's formatting (~1 ms of the CLI call, interpreted).
     */
    private static final class IsoText {
        static final Pattern DURATION = Pattern.compile("-?P(?:\\d+D)?T[\\d.HMS]+");
        static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z");
        static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

        private IsoText() {
        }
    }

    /** A scalar for a person: an ISO-8601 duration (PT10S) as a duration, an instant as the local time it was. */
    static String humanScalar(JsonNode value) {
        if (!value.isTextual()) return scalar(value);
        String text = value.asText();
        try {
            if (IsoText.DURATION.matcher(text).matches()) return DurationFormat.human(Duration.parse(text).toMillis());
            if (IsoText.INSTANT.matcher(text).matches()) return IsoText.LOCAL_TIME.format(Instant.parse(text).atZone(ZoneId.systemDefault()));
        } catch (DateTimeException | ArithmeticException e) {
            // shaped like one, but not one: shown as it is
        }
        return text;
    }

    /** service.build, service.install: a summary line, then each file with the start of its hash. */
    public int fileOperation(String summary, JsonNode files) {
        println(summary);
        for (JsonNode f : files) {
            String sha = f.path("sha256").asText("");
            println("  " + text(f, "path") + (sha.isEmpty() ? "" : "  sha256 " + sha.substring(0, Math.min(12, sha.length())) + "…"));
        }
        return ExitCode.OK;
    }

    /** A binary installed from a release asset under another (older) name: said, so the fallback is never silent. */
    void olderAsset(String binary, String asset) {
        if (asset != null && !asset.startsWith(binary + "-")) println("  " + binary + ": taken from the release asset " + asset + " (its older name)");
    }

    /** A one-line summary of a lifecycle operation (start, stop, restart). */
    public int summary(String line) {
        println(line);
        return ExitCode.OK;
    }

    public String paintState(String state) {
        return terminal.paint(stateColor(state), state);
    }

    private Cell state(JsonNode state) {
        String s = state.isMissingNode() || state.isNull() ? "-" : state.asText();
        return new Cell(s, stateColor(s));
    }

    private static String stateColor(String state) {
        return switch (state) {
            case "RUNNING", "HEALTHY" -> GREEN;
            case "FAILED", "CRASHED", "UNHEALTHY" -> RED;
            case "STARTING", "STOPPING", "BACKOFF", "DEGRADED" -> YELLOW;
            default -> DIM;
        };
    }

    /** A stopped service's health does not apply ("-"); a failed or running-but-unhealthy one is "no". */
    private static Cell serviceHealthy(JsonNode service) {
        return "STOPPED".equals(service.path("state").asText()) ? Cell.of("-") : healthy(service.path("healthy"));
    }

    private static Cell healthy(JsonNode value) {
        if (!value.isBoolean()) return Cell.of("-");
        return value.asBoolean() ? new Cell("yes", GREEN) : new Cell("no", RED);
    }

    private static String lastExit(JsonNode exit) {
        if (!exit.isObject()) return "-";
        JsonNode signal = exit.path("signal");
        String what = signal.asInt(0) == 0 ? "exit " + text(exit, "code") : "signal " + signal.asText();
        return exit.path("requested").asBoolean(false) ? what + " (requested)" : what;
    }

    /** A field's value as text; "-" when absent or null. */
    static String text(JsonNode node, String field) {
        return scalar(node.path(field));
    }

    static String scalar(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) return "-";
        return value.isValueNode() ? value.asText() : JsonText.compact(value);
    }

    /** Scalars of an array comma-joined; "-" for an empty or absent array. */
    static String joined(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) return "-";
        var parts = new ArrayList<String>(array.size());
        for (JsonNode e : array) parts.add(scalar(e));
        return String.join(", ", parts);
    }

    private static boolean hasContainers(JsonNode array) {
        for (JsonNode e : array) if (e.isContainerNode()) return true;
        return false;
    }
}
