package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.JsonCodec;
import heromgr.fs.LogStream;
import heromgr.fs.TimedLog;
import heromgr.http.UnixHttpClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * `heromgr logs NAME… | --all [--since T] [--until T] [--stream S] [-f]`: each service's lines with their times,
 * interleaved by time and prefixed with the service when there are several. The CLI merges one service.logs call per
 * service (the API keeps one name a call: its errors, access and defaults stay per service, and a merge is a sort).
 * No daemon answering the first call (DaemonUnreachableException) is when the files are read directly
 * ({@link OfflineLogs}): an up daemon costs no extra connect. -f opens every service's /logs stream first, then
 * prints the past lines, then what the streams bring, so no line written meanwhile is lost.
 */
final class LogsCommand {
    /** How long the follow streams may take to open before the past lines are printed anyway. */
    private static final Duration OPENING = Duration.ofSeconds(30);

    /** since/until: already instants (a local time is the CLI's to read); stream: null for both. */
    record Request(List<String> names, boolean all, String action, int lines, Instant since, Instant until, LogStream stream,
                   boolean follow, boolean plain) {
        TimedLog.Query query() {
            return new TimedLog.Query(lines, since, until, stream);
        }
    }

    /** offline: read from the files, no daemon answering. */
    private record Gathered(int exit, List<String> names, List<ServiceLogLine> lines, boolean offline) {
        static Gathered failed(int exit, List<String> names) {
            return new Gathered(exit, names, List.of(), false);
        }
    }

    private final Terminal terminal;
    private final GlobalOptions global;
    private final RpcSession session;
    private final ZoneId zone = ZoneId.systemDefault();

    LogsCommand(Terminal terminal, GlobalOptions global, RpcSession session) {
        this.terminal = terminal;
        this.global = global;
        this.session = session;
    }

    int run(Request r) {
        if (!r.follow()) {
            Gathered g = gather(r);
            if (g.exit() != ExitCode.OK) return g.exit();
            print(r, g);
            return ExitCode.OK;
        }
        return follow(r);
    }

    /** The lines of every service named, oldest first; from the files when no daemon answers. */
    private Gathered gather(Request r) {
        var client = new RpcClient(socket(), RpcSession.timeoutFor("service.logs"));
        List<String> names = r.names();
        var out = new ArrayList<ServiceLogLine>();
        int read = 0;
        try {
            if (r.all()) names = listed(client.call("service.list", null));
            for (String name : names) {
                ObjectNode params = params(r, name);
                try {
                    client.call("service.logs", params).path("entries").forEach(e -> out.add(ServiceLogLine.of(name, e)));
                    read++;
                } catch (ApiException e) {
                    // --all --action A: a service without an action A (or deleted since the list) is not one of those meant
                    if (r.all() && e.code() == ErrorCode.SERVICE_NOT_FOUND) continue;
                    return Gathered.failed(session.report(e, params), names);
                }
            }
            if (read == 0 && r.action() != null && !names.isEmpty()) return Gathered.failed(session.report(noneHas(r.action()), null), names);
        } catch (DaemonUnreachableException e) {
            return offline(r);
        } catch (IOException e) {
            terminal.err().println("heromgr: service.logs failed: " + e.getMessage());
            return Gathered.failed(ExitCode.FAILED, names);
        }
        out.sort(Comparator.comparing(ServiceLogLine::time));
        return new Gathered(ExitCode.OK, names, out, false);
    }

    private Gathered offline(Request r) {
        List<String> names = r.all() ? OfflineLogs.services(terminal) : r.names();
        var out = new ArrayList<ServiceLogLine>();
        int found = 0;
        for (String name : names) {
            OfflineLogs.Read read = OfflineLogs.read(terminal, name, r.action(), r.query());
            if (r.all() && read.exit() == ExitCode.FAILED) continue;   // no log of that action: not one of those meant
            if (read.exit() != ExitCode.OK) return offlineFailed(read, names);
            out.addAll(read.lines());
            found++;
        }
        if (found == 0 && r.action() != null && !names.isEmpty()) {
            return offlineFailed(OfflineLogs.Read.failed(ExitCode.NO_SUCH_SERVICE, "the daemon is not running, and no service has a log of an action "
                    + r.action()), names);
        }
        out.sort(Comparator.comparing(ServiceLogLine::time));
        return new Gathered(ExitCode.OK, names, out, true);
    }

    /** Told on stderr, and with --json on stdout too (as a daemon that cannot be reached is): a script reads why. */
    private Gathered offlineFailed(OfflineLogs.Read read, List<String> names) {
        if (global.json()) {
            terminal.out().println(JsonText.pretty(JsonNodeFactory.instance.objectNode().put("message", read.problem())
                    .put("socket", socket().toString())));
        }
        terminal.err().println("heromgr: " + read.problem());
        return Gathered.failed(read.exit(), names);
    }

    /** --all --action A when no service has an action A. */
    private static ApiException noneHas(String action) {
        return new ApiException(ErrorCode.SERVICE_NOT_FOUND, "no service has an action " + action);
    }

    private static List<String> listed(JsonNode services) {
        var names = new ArrayList<String>();
        services.forEach(s -> names.add(s.path("name").asText()));
        return names;
    }

    /** What one service's service.logs call sends. */
    static ObjectNode params(Request r, String name) {
        ObjectNode p = JsonNodeFactory.instance.objectNode().put("name", name).put("lines", r.lines());
        if (r.action() != null) p.put("action", r.action());
        if (r.since() != null) p.put("since", r.since().toString());
        if (r.until() != null) p.put("until", r.until().toString());
        if (r.stream() != null) p.put("stream", r.stream().wire());
        return p;
    }

    private void print(Request r, Gathered g) {
        if (global.json()) {
            terminal.out().println(JsonText.pretty(g.names().size() == 1 && !r.all() ? oneService(g) : services(g)));
            return;
        }
        Format f = format(r, g.names(), g.lines());
        g.lines().forEach(l -> terminal.out().println(f.line(l)));
    }

    /** One service: service.logs' own result, so a script reads the same with the daemon up or down. */
    private static ObjectNode oneService(Gathered g) {
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("name", g.names().getFirst());
        ArrayNode lines = result.putArray("lines");
        ArrayNode entries = result.putArray("entries");
        for (ServiceLogLine l : g.lines()) {
            lines.add(l.line());
            entries.add(l.json().without("service"));
        }
        return result;
    }

    private static ObjectNode services(Gathered g) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        g.names().forEach(result.putArray("names")::add);
        ArrayNode entries = result.putArray("entries");
        g.lines().forEach(l -> entries.add(l.json()));
        return result;
    }

    /** How a line is shown to a person: the service when several, the action when the lines come from several. */
    private record Format(Terminal terminal, ZoneId zone, boolean plain, boolean withService, boolean withAction) {
        String line(ServiceLogLine l) {
            return plain ? l.line() : l.human(terminal, zone, withService, withAction);
        }
    }

    private Format format(Request r, List<String> names, List<ServiceLogLine> lines) {
        boolean several = names.size() > 1 || r.all();
        boolean actions = r.action() == null && lines.stream().map(ServiceLogLine::action).distinct().count() > 1;
        return new Format(terminal, zone, r.plain(), several, actions);
    }

    private Path socket() {
        return global.socket(terminal.env());
    }

    /** -f: every service's stream opened, then the past lines, then the streams' lines as they come. */
    private int follow(Request r) {
        List<String> names;
        try {
            names = r.all() ? listed(new RpcClient(socket(), RpcSession.timeoutFor("service.list")).call("service.list", null)) : r.names();
        } catch (DaemonUnreachableException e) {
            return pastOnly(r, gather(r));
        } catch (ApiException | IOException e) {
            terminal.err().println("heromgr: service.list failed: " + e.getMessage());
            return ExitCode.FAILED;
        }
        var opened = new CountDownLatch(names.size());
        var past = new CountDownLatch(1);
        var failed = new AtomicInteger();
        var format = new Format[1];
        var streams = new ArrayList<Thread>();
        for (String name : names) {
            streams.add(Thread.ofVirtual().start(() -> {
                if (!stream(r, name, opened, past, format)) failed.incrementAndGet();
            }));
        }
        try {
            opened.await(OPENING.toMillis(), TimeUnit.MILLISECONDS);
            Gathered g = gather(new Request(names, false, r.action(), r.lines(), r.since(), null, r.stream(), true, r.plain()));
            if (g.exit() != ExitCode.OK || g.offline()) return pastOnly(r, g);
            format[0] = format(r, names, g.lines());
            for (ServiceLogLine l : g.lines()) show(l, format[0]);
            past.countDown();
            for (Thread t : streams) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failed.get() == 0 ? ExitCode.OK : ExitCode.FAILED;
    }

    /** No daemon to follow: the lines read from the files, and a word that following needs the daemon. */
    private int pastOnly(Request r, Gathered g) {
        if (g.exit() != ExitCode.OK) return g.exit();
        Format f = format(r, g.names(), g.lines());
        g.lines().forEach(l -> show(l, f));
        return session.unreachable(new DaemonUnreachableException(socket(), "cannot follow: no daemon answers"));
    }

    /** One service's /logs stream: what it brings is shown once the past lines are (past). Whether it ended well. */
    private boolean stream(Request r, String name, CountDownLatch opened, CountDownLatch past, Format[] format) {
        var path = new StringBuilder("/logs?format=json&lines=0&name=").append(URLEncoder.encode(name, StandardCharsets.UTF_8));
        if (r.action() != null) path.append("&action=").append(URLEncoder.encode(r.action(), StandardCharsets.UTF_8));
        if (r.stream() != null) path.append("&stream=").append(r.stream().wire());
        boolean live = false;
        try (var client = new UnixHttpClient(socket(), Duration.ofSeconds(10))) {
            var lines = new BufferedReader(new InputStreamReader(client.stream(path.toString()), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals(": live") && !live) {
                    live = true;
                    opened.countDown();
                    past.await();
                } else if (line.startsWith("data: ")) {
                    show(ServiceLogLine.of(name, JsonCodec.MAPPER.readTree(line.substring("data: ".length()))), format[0]);
                }
            }
            ended(name, "the daemon closed the stream");
            return true;
        } catch (IOException e) {
            // before the stream was live, the past lines' call reports the problem (no such service, no daemon)
            if (live) ended(name, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (!live) opened.countDown();
        }
    }

    /** A follow ends only when the daemon ends it (it stopped, most often): said, lest the command just return. */
    private void ended(String name, String why) {
        synchronized (terminal.out()) {
            terminal.err().println("heromgr: following " + name + " ended: " + why);
            terminal.err().flush();
        }
    }

    /** -f prints JSON lines with --json, one object a log line, so a program can follow as it reads. */
    private void show(ServiceLogLine l, Format format) {
        synchronized (terminal.out()) {
            terminal.out().println(global.json() ? JsonText.compact(l.json()) : format.line(l));
            terminal.out().flush();
        }
    }
}
