package heromgr.cli;

import heromgr.fs.HeroPaths;
import heromgr.fs.LogFiles;
import heromgr.fs.LogLine;
import heromgr.fs.TimedLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * `heromgr logs NAME` while no daemon answers: the action logs read straight from where the Hero convention puts
 * them, `$HERO_HOME/var/log/NAME/<action>.log` and `<action>.err.log` with their rotated files and time indexes (a
 * class that moves its logs elsewhere is not found this way), the same way the daemon reads them
 * ({@link TimedLog}), so a service's last words can be read exactly when the daemon is down.
 */
final class OfflineLogs {
    /**
     * The names the daemon accepts (manager.ServiceRegistry.NAME_OR_INSTANCE, which the CLI may not reach): nothing else
     * becomes part of a path, and events --service takes no other.
     */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}(@[a-z][a-z0-9_]{0,63})?");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    private static final String LOG = ".log";

    /** What reading the files gave: the lines, oldest first, or the exit code of a failure and what it was (for the caller to tell). */
    record Read(int exit, List<ServiceLogLine> lines, String problem) {
        static Read failed(int exit, String problem) {
            return new Read(exit, List.of(), problem);
        }
    }

    private OfflineLogs() {
    }

    /** The lines of the service's action logs (one action's when action is not null), as service.logs would give them. */
    static Read read(Terminal terminal, String service, String action, TimedLog.Query query) {
        if (!NAME.matcher(service).matches() || (action != null && !ACTION.matcher(action).matches())) {
            return Read.failed(ExitCode.USAGE, "the daemon is not running, and '" + service + (action == null ? "" : "/" + action)
                    + "' is not a service (or action) name whose log could be read");
        }
        Path dir = paths(terminal).serviceLogs(service);
        List<Path> files = logFiles(dir, action);
        if (files.isEmpty()) {
            return Read.failed(ExitCode.FAILED, "the daemon is not running, and there is no log of " + service
                    + (action == null ? "" : " action " + action) + " in " + dir);
        }
        terminal.err().println("heromgr: the daemon is not running; read from " + dir);
        var out = new ArrayList<ServiceLogLine>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String act = name.substring(0, name.length() - LOG.length());
            try {
                for (LogLine l : TimedLog.read(file, query)) out.add(new ServiceLogLine(service, l.time(), act, l.stream().wire(), l.text()));
            } catch (UncheckedIOException e) {
                terminal.err().println("heromgr: cannot read " + file + ": " + e.getCause().getMessage());
            }
        }
        out.sort(Comparator.comparing(ServiceLogLine::time));
        return new Read(ExitCode.OK, out, null);
    }

    /** The services that have a log folder (`logs --all` with the daemon down), by name; not the daemon's own. */
    static List<String> services(Terminal terminal) {
        Path logs = paths(terminal).logs();
        var names = new ArrayList<String>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(logs, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (NAME.matcher(name).matches() && !dir.equals(paths(terminal).daemonLogs()) && !logFiles(dir, null).isEmpty()) names.add(name);
            }
        } catch (IOException e) {
            return names;
        }
        names.sort(null);
        return names;
    }

    private static HeroPaths paths(Terminal terminal) {
        return HeroPaths.fromEnvironment(terminal.env(), null);
    }

    /** The actions' (stdout) logs: {@code <action>.log}, or one whose stderr file alone exists. */
    private static List<Path> logFiles(Path dir, String action) {
        var files = new ArrayList<Path>();
        if (!Files.isDirectory(dir)) return files;
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, action == null ? "*" + LOG : action + "*" + LOG)) {
            for (Path p : logs) {
                String name = p.getFileName().toString();
                Path log = LogFiles.isStderr(name) ? dir.resolve(name.substring(0, name.length() - ".err.log".length()) + LOG) : p;
                String act = log.getFileName().toString().replaceFirst("\\.log$", "");
                if (ACTION.matcher(act).matches() && (action == null || action.equals(act)) && !files.contains(log)) files.add(log);
            }
        } catch (IOException e) {
            return files;
        }
        files.sort(null);
        return files;
    }
}
