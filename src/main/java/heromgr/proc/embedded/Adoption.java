package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.Job;
import heromgr.proc.os.PidFd;
import heromgr.proc.os.ProcTable;
import heromgr.proc.state.RuntimeState;
import heromgr.proc.state.RuntimeStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;


/**
 * Finds the processes a previous daemon left running. A saved pid is ours only while /proc/pid/stat shows the same
 * start time: pids are recycled, and adopting (later: signalling) an unrelated process would be the worst bug a
 * supervisor can have.
 */
final class Adoption {
    private static final Logger log = LoggerFactory.getLogger(Adoption.class);

    private Adoption() {
    }

    /** What became of a saved action's process. */
    sealed interface Outcome {
        /** Still running and still the same process, now held by a pidfd. */
        record Found(RunningProcess process) implements Outcome {
        }

        /** Gone, or its pid now names another process: nothing to adopt, nothing to signal. */
        record Gone() implements Outcome {
        }

        /**
         * Ours and running, but no pidfd could be had (a kernel before 5.3): it is left alone rather than
         * restarted, since a second copy would fight the first over its sockets.
         */
        record Unwatchable(String reason) implements Outcome {
        }
    }

    /** The environment variable every spawn carries: the state file, service and action it was spawned for. */
    static final String MARKER = "HEROMGR_ACTION";

    /** The run's number (its job's id) beside the marker: inherited by the run's children like the marker. */
    static final String RUN = "HEROMGR_RUN";

    static String marker(String owner, String service, String action) {
        return owner + "#" + service + "/" + action;
    }

    /**
     * @param owner     the state file's path (null: no markers were given, so none are looked for)
     * @param unrecorded the live processes carrying a marker, read from /proc once per restore and only if needed
     */
    static Outcome find(String service, RuntimeState.Action saved, String owner, Unrecorded unrecorded) {
        String what = service + "/" + saved.spec().name() + " pid " + saved.pid();
        if (saved.pid() <= 0 || saved.startTicks() <= 0 || !isSame(saved)) {
            // even one saved as stopped: a start the file never recorded may have spawned it
            if (owner != null) {
                long lastRun = saved.jobs().stream().mapToLong(Job::id).max().orElse(0);
                Outcome found = unrecorded.claim(marker(owner, service, saved.spec().name()), what, lastRun);
                if (!(found instanceof Outcome.Gone)) return found;
            }
            log.info("{}: not adopted, the process is gone or its pid now belongs to another process", what);
            return new Outcome.Gone();
        }
        int fd = PidFd.open(saved.pid());
        if (fd < 0) {
            if (!isSame(saved)) return new Outcome.Gone();
            log.error("{}: still running but pidfd_open failed; left running unsupervised", what);
            return new Outcome.Unwatchable("pid " + saved.pid() + " still runs but cannot be watched (pidfd_open failed); left running");
        }
        // the pid could have been recycled between the check and pidfd_open: checked again, the fd is now pinned to
        // whichever process it names, so a match here means the fd is ours for good
        if (!isSame(saved)) {
            PidFd.close(fd);
            log.info("{}: not adopted, it exited while being adopted", what);
            return new Outcome.Gone();
        }
        log.debug("{}: adopted", what);
        return new Outcome.Found(RunningProcess.adopted(saved.pid(), saved.pgid() > 0 ? saved.pgid() : saved.pid(), saved.startTicks(), fd));
    }

    /**
     * A run the state file never heard of: the daemon was killed after a restart spawned it and before the file was
     * written (it is written within ~20 ms). Its marker names this state file, service and action; of the processes
     * carrying it only a session leader can be the run itself (every spawn leads its own session; its children inherit
     * the variable but not the session), and only one whose run number ({@link #RUN}) comes after the recorded runs: a
     * helper of a recorded run that called setsid inherited that run's number. Exactly one is adopted; several are left
     * alone (FAILED with their pids), since neither a second copy nor a guess is safe.
     */
    static final class Unrecorded {
        /** A marked session leader and its run number (0: none, spawned by a daemon before the number existed). */
        private record Candidate(long pid, long run) {
        }

        private Map<String, List<Candidate>> byMarker;

        /** The runs of owner's services alive by their marker, when its state file was found damaged (and logged so). */
        static Unrecorded afterDamage(String owner, Path stateFile, String why, Path keptAs) {
            var runs = new Unrecorded();
            var services = runs.services(owner);
            log.error("runtime state {} is damaged ({}); {}; found {} running processes of {} services by their marker, adopted "
                            + "once their specs are known: {}", stateFile, why, keptAs == null ? "it could not be moved aside" : "kept as " + keptAs,
                    services.values().stream().mapToInt(Integer::intValue).sum(), services.size(), services.keySet());
            return runs;
        }

        /** afterRun: the last run the state file recorded (0: none); its helpers carry its number or an older one. */
        Outcome claim(String marker, String what, long afterRun) {
            List<Long> pids = scan().getOrDefault(marker, List.of()).stream()
                    .filter(c -> c.run() == 0 || c.run() > afterRun).map(Candidate::pid).toList();
            if (pids.isEmpty()) return new Outcome.Gone();
            if (pids.size() > 1) {
                log.error("{}: gone, and {} processes claim to be its run: {}; left running unsupervised", what, pids.size(), pids);
                return new Outcome.Unwatchable("processes " + pids + " all claim to be this action's run; left running");
            }
            long pid = pids.getFirst();
            var stat = ProcTable.stat(pid).filter(ProcTable.Stat::running).orElse(null);
            int fd = stat == null ? -1 : PidFd.open(pid);
            if (fd < 0) return new Outcome.Gone();
            // held by the fd from here on; checked once more that it is still the session leader we saw
            if (!runsSince(pid, stat.startTicks())) {
                PidFd.close(fd);
                return new Outcome.Gone();
            }
            log.info("{}: adopted its unrecorded run, pid {}", what, pid);
            return new Outcome.Found(RunningProcess.adopted(pid, stat.pgid(), stat.startTicks(), fd));
        }

        /** The services of owner that have a marked run alive, by name: what a damaged state file forgot. */
        SortedMap<String, Integer> services(String owner) {
            var out = new TreeMap<String, Integer>();
            String prefix = owner + "#";
            for (var e : scan().entrySet()) {
                String marker = e.getKey();
                int slash = marker.lastIndexOf('/');
                if (!marker.startsWith(prefix) || slash < prefix.length()) continue;
                out.merge(marker.substring(prefix.length(), slash), e.getValue().size(), Integer::sum);
            }
            return out;
        }

        /** Live session leaders by marker; environ is read as Latin-1, so markers are compared in that form. */
        private Map<String, List<Candidate>> scan() {
            if (byMarker != null) return byMarker;
            byMarker = new HashMap<>();
            for (long pid : ProcTable.pids()) {
                String raw = ProcTable.environment(pid, MARKER);
                if (raw == null) continue;
                var stat = ProcTable.stat(pid).orElse(null);
                if (stat == null || !stat.running() || stat.session() != pid) continue;
                String marker = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                byMarker.computeIfAbsent(marker, m -> new ArrayList<>()).add(new Candidate(pid, runOf(pid)));
            }
            return byMarker;
        }
    }

    private static long runOf(long pid) {
        String run = ProcTable.environment(pid, RUN);
        try {
            return run == null ? 0 : Long.parseLong(run);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * What the state file would have said about a run it lost (it was damaged): running since the process began, no
     * restarts or exits known. Only the run itself is known, so its history starts with it (p null: a run that cannot
     * be held, so no history at all).
     */
    static RuntimeState.Action unsaved(ActionSpec spec, RunningProcess p) {
        String fingerprint = RuntimeStateStore.fingerprint(spec);
        if (p == null) return new RuntimeState.Action(spec, fingerprint, ActionState.RUNNING, 0, 0, 0, 0, null, null, List.of());
        Instant began = ProcTable.startedAt(p.pid()).orElse(Instant.now());
        return new RuntimeState.Action(spec, fingerprint, ActionState.RUNNING, p.pid(), p.pgid(), p.startTicks(), 0, null, null,
                List.of(new Job(1, p.pid(), began, null, null, null, null)));
    }

    private static boolean isSame(RuntimeState.Action saved) {
        return runsSince(saved.pid(), saved.startTicks());
    }

    /** Whether pid still names a running process with this start time (not a process that got the pid later). */
    private static boolean runsSince(long pid, long startTicks) {
        return ProcTable.stat(pid).filter(ProcTable.Stat::running).filter(s -> s.startTicks() == startTicks).isPresent();
    }
}
