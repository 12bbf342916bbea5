package heromgr.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The options a running daemon was started with (`heromgr daemon …`), read from its command line, so the daemon
 * that replaces it (`self upgrade`) keeps --stop-services-on-exit, --http and the access groups. --home and --socket
 * are left out: the restart passes its own.
 */
final class DaemonOptions {
    private static final Set<String> LOCATION = Set.of(DaemonCommand.HOME, DaemonCommand.SOCKET);

    private DaemonOptions() {
    }

    /** The options after `-jar heromgr.jar daemon` on daemon's command line; none when it cannot be read. */
    static List<String> of(ProcessHandle daemon) {
        List<String> args = daemon.info().arguments().map(List::of).orElse(List.of());
        int jar = args.indexOf("-jar");
        if (jar < 0 || jar + 2 >= args.size() || !args.get(jar + 2).equals("daemon")) return List.of();
        var options = new ArrayList<String>();
        List<String> rest = args.subList(jar + 3, args.size());
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (LOCATION.contains(arg)) {
                i++;
            } else if (LOCATION.stream().noneMatch(o -> arg.startsWith(o + "="))) {
                options.add(arg);
            }
        }
        return options;
    }
}
