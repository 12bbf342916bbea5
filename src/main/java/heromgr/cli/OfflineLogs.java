package heromgr.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.HeroPaths;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * `heromgr logs NAME` while no daemon answers: the action logs read straight from where the Hero convention puts
 * them, `$HERO_HOME/var/log/NAME/<action>.log` (a class that moves its logs elsewhere is not found this way), so a
 * service's last words can be read exactly when the daemon is down. The live files only, not their rotated ones.
 */
final class OfflineLogs {
    /** The names the daemon accepts (an instance after @): nothing else becomes part of a path. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}(@[a-z0-9][a-z0-9_-]{0,63})?");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    /** Enough of a file's end for any sensible -n; a longer log is read from here. */
    private static final long TAIL_BYTES = 4 * 1024 * 1024;

    private OfflineLogs() {
    }

    /** Whether anything accepts a connection on the socket: a connect, no request. */
    static boolean daemonAnswers(Path socket) {
        if (!Files.exists(socket)) return false;
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Prints the last lines of the service's action logs (one action's when action is not null), as `logs` would. */
    static int print(Terminal terminal, boolean json, String service, String action, int lines) {
        if (!NAME.matcher(service).matches() || (action != null && !ACTION.matcher(action).matches())) {
            terminal.err().println("heromgr: the daemon is not running, and '" + service + (action == null ? "" : "/" + action)
                    + "' is not a service (or action) name whose log could be read");
            return ExitCode.USAGE;
        }
        Path dir = HeroPaths.fromEnvironment(terminal.env(), null).serviceLogs(service);
        List<Path> files = logFiles(dir, action);
        if (files.isEmpty()) {
            terminal.err().println("heromgr: the daemon is not running, and there is no log of " + service
                    + (action == null ? "" : " action " + action) + " in " + dir);
            return ExitCode.FAILED;
        }
        terminal.err().println("heromgr: the daemon is not running; read from " + dir);
        var out = new ArrayList<String>();
        for (Path file : files) out.addAll(last(file, lines));
        if (json) {
            ObjectNode result = JsonNodeFactory.instance.objectNode().put("name", service);
            out.forEach(result.putArray("lines")::add);
            terminal.out().println(JsonText.pretty(result));
        } else {
            out.forEach(terminal.out()::println);
        }
        return ExitCode.OK;
    }

    private static List<Path> logFiles(Path dir, String action) {
        var files = new ArrayList<Path>();
        if (!Files.isDirectory(dir)) return files;
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, action == null ? "*.log" : action + ".log")) {
            logs.forEach(files::add);
        } catch (IOException e) {
            return files;
        }
        files.sort(null);
        return files;
    }

    private static List<String> last(Path file, int lines) {
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(0, in.length() - TAIL_BYTES);
            byte[] tail = new byte[(int) (in.length() - from)];
            in.seek(from);
            in.readFully(tail);
            List<String> all = new String(tail, StandardCharsets.UTF_8).lines().toList();
            // a cut first line is only part of one: dropped
            if (from > 0 && !all.isEmpty()) all = all.subList(1, all.size());
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(" + file + " unreadable: " + e.getMessage() + ")");
        }
    }
}
