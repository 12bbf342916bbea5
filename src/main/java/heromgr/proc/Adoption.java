package heromgr.proc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Finds the processes a previous daemon left running. A saved pid is ours only while /proc/pid/stat shows the same
 * start time: pids are recycled, and adopting (later: signalling) an unrelated process would be the worst bug a
 * supervisor can have.
 */
final class Adoption {
    private static final Logger log = LoggerFactory.getLogger(Adoption.class);

    private Adoption() {
    }

    /** The saved action's process, held by a pidfd, when it still runs and is still the same process. */
    static Optional<RunningProcess.Adopted> find(String service, RuntimeState.Action saved) {
        if (saved.pid() <= 0 || saved.startTicks() <= 0) return Optional.empty();
        String what = service + "/" + saved.spec().name() + " pid " + saved.pid();
        if (!isSame(saved)) {
            log.info("{}: not adopted, the process is gone or its pid now belongs to another process", what);
            return Optional.empty();
        }
        int fd = PidFd.open(saved.pid());
        if (fd < 0) return Optional.empty();
        // the pid could have been recycled between the check and pidfd_open: checked again, the fd is now pinned to
        // whichever process it names, so a match here means the fd is ours for good
        if (!isSame(saved)) {
            PidFd.close(fd);
            log.info("{}: not adopted, it exited while being adopted", what);
            return Optional.empty();
        }
        log.info("{}: adopted", what);
        return Optional.of(new RunningProcess.Adopted(saved.pid(), saved.pgid() > 0 ? saved.pgid() : saved.pid(), saved.startTicks(), fd));
    }

    private static boolean isSame(RuntimeState.Action saved) {
        return ProcTable.stat(saved.pid())
                .filter(ProcTable.Stat::running)
                .filter(s -> s.startTicks() == saved.startTicks())
                .isPresent();
    }
}
