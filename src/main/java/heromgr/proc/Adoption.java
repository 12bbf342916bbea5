package heromgr.proc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


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

    static Outcome find(String service, RuntimeState.Action saved) {
        if (saved.pid() <= 0 || saved.startTicks() <= 0) return new Outcome.Gone();
        String what = service + "/" + saved.spec().name() + " pid " + saved.pid();
        if (!isSame(saved)) {
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
        log.info("{}: adopted", what);
        return new Outcome.Found(RunningProcess.adopted(saved.pid(), saved.pgid() > 0 ? saved.pgid() : saved.pid(), saved.startTicks(), fd));
    }

    private static boolean isSame(RuntimeState.Action saved) {
        return ProcTable.stat(saved.pid())
                .filter(ProcTable.Stat::running)
                .filter(s -> s.startTicks() == saved.startTicks())
                .isPresent();
    }
}
