package heromgr.proc.embedded;

import heromgr.fs.TimedLog;
import heromgr.proc.ActionLine;
import heromgr.proc.SupervisorException;
import heromgr.proc.log.LogRotator;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;

/** Reading a service's action logs (current and rotated files, through the rotator): tails and timed queries. */
final class ActionLogs {
    private final LogRotator rotator;

    ActionLogs(LogRotator rotator) {
        this.rotator = rotator;
    }

    List<String> tail(List<ActionRunner> runners, String action, int lines) {
        var out = new ArrayList<String>();
        // each action's stdout and stderr by time: a failure's last words are on stderr as often as not
        forEachLog(runners, action, r -> rotator.read(r.logFile(), TimedLog.Query.last(lines)).forEach(l -> out.add(l.text())));
        return out;
    }

    List<ActionLine> read(List<ActionRunner> runners, String action, TimedLog.Query query) {
        var out = new ArrayList<ActionLine>();
        forEachLog(runners, action, r -> rotator.read(r.logFile(), query).forEach(l -> out.add(new ActionLine(r.name(), l))));
        // stable: on a tie the actions keep their spec order
        out.sort(Comparator.comparing(l -> l.line().time()));
        return out;
    }

    /** Runs read for each action's log (the one action's when action is not null), in spec order, each file once. */
    private static void forEachLog(List<ActionRunner> runners, String action, Consumer<ActionRunner> read) {
        var seen = new HashSet<Path>();
        for (ActionRunner r : runners) {
            if (action != null && !action.equals(r.name())) continue;
            // actions sharing one log file would otherwise show its lines twice
            if (!seen.add(r.logFile().toAbsolutePath().normalize())) continue;
            try {
                read.accept(r);
            } catch (UncheckedIOException e) {
                throw new SupervisorException("action " + r.name() + ": cannot read log " + r.logFile() + ": " + e.getCause().getMessage(), e);
            }
        }
    }
}
