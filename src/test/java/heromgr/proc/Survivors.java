package heromgr.proc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every pid a test saw: killed with its group after the test whatever happened, since a supervisor may have left it running. */
final class Survivors {
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();

    long add(long pid) {
        if (pid > 0) pids.add(pid);
        return pid;
    }

    void killAll() {
        for (long pid : pids) {
            for (long member : ProcFs.liveMembers(pid)) PosixSignals.kill(member, 9);
            if (ProcFs.running(pid)) PosixSignals.kill(pid, 9);
        }
    }
}
