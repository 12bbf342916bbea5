package heromgr.proc;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every pid a test saw: killed with its group after the test whatever happened, since a supervisor may have left it running. */
final class Survivors {
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();

    long add(long pid) {
        if (pid > 0) pids.add(pid);
        return pid;
    }

    /** Closes the supervisors, the last made first, stopping what they run; then kills whatever survived them. */
    void killAllAfterClosing(List<EmbeddedSupervisor> supervisors) {
        try {
            for (EmbeddedSupervisor s : supervisors.reversed()) s.close(true);
        } finally {
            killAll();
        }
    }

    void killAll() {
        for (long pid : pids) {
            for (long member : ProcFs.liveMembers(pid)) PosixSignals.kill(member, 9);
            if (ProcFs.running(pid)) PosixSignals.kill(pid, 9);
        }
    }
}
