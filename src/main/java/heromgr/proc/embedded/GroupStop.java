package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.StopWave;
import heromgr.proc.SupervisorException;
import heromgr.proc.cgroup.Containment;
import heromgr.proc.os.PidFd;
import heromgr.proc.os.PosixSignals;
import heromgr.proc.os.ProcTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stopping one run's whole process tree: the stop signal to its process group, to every descendant that left the
 * group (a helper that called setsid) and to every other process in the action's cgroup (a double-forked daemon:
 * reparented to pid 1, it is in no group or tree of ours, but it cannot leave its cgroup), up to the stop timeout, then
 * SIGKILL to whatever is left. The processes outside the group are found before the first signal (the tree walked from
 * /proc/&lt;pid&gt;/task/&lt;tid&gt;/children, the cgroup's member list), or right after it when the run was born in its
 * cgroup (nothing can leave it, so no walk is needed), and held by pidfds from then on, so a pid recycled during the
 * stop is never signalled. Without a cgroup ({@link Containment.None}) a double-forked daemon whose parent
 * already exited cannot be told apart from a stranger and is not reached.
 */
final class GroupStop {
    private static final Logger log = LoggerFactory.getLogger(GroupStop.class);
    private static final int SIGKILL = 9;
    /** Sent right after the stop signal, as systemd does: a suspended process (SIGSTOP, ^Z) handles it only once continued. */
    private static final int SIGCONT = 18;
    /** SIGKILL cannot be caught; a process still there after this is stuck in the kernel (D state). */
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);
    /** How long leftovers (group members, cgroup members) get to vanish after their SIGKILL. */
    static final Duration GROUP_GRACE = Duration.ofSeconds(1);
    /** Bounds the walk: a fork bomb must not keep the stop walking forever. */
    private static final int MAX_DESCENDANTS = 10_000;

    private GroupStop() {
    }

    /**
     * Stop signal, wait up to the stop timeout for the main process, then SIGKILL; the processes outside the group get
     * the stop signal with it and SIGKILL once it is gone (group and cgroup leftovers go after it, see the runner).
     */
    static void terminate(String service, ActionSpec spec, RunningProcess p, Containment box) throws InterruptedException {
        long pgid = p.pgid();
        int stopSignal = spec.stopSignal().number();
        long deadline = System.nanoTime() + spec.stopTimeout().toNanos();
        Collection<Integer> outside;
        if (box.holdsWholeRun()) {
            // nothing of the run can leave the cgroup: the group is signalled before anything is read (a wave of 1000
            // stops sends its last signal sooner), and whoever is outside the group is found among the members after
            signal(pgid, stopSignal);
            signal(pgid, SIGCONT);
            outside = box.openMembersOutside(pgid).values();
        } else {
            // a stray is found by walking the tree, which breaks up once its parent exits: walked before the signal
            outside = openOutsiders(p.pid(), pgid, box).values();
            signal(pgid, stopSignal);
            signal(pgid, SIGCONT);
        }
        try {
            for (int fd : outside) {
                PidFd.sendSignal(fd, stopSignal);
                PidFd.sendSignal(fd, SIGCONT);
            }
            StopWave.signalled();
            if (!p.waitFor(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                log.info("{}/{}: pid {} still running {} ms after SIG{}, sending SIGKILL",
                        service, spec.name(), pgid, spec.stopTimeout().toMillis(), spec.stopSignal());
                signal(pgid, SIGKILL);
                p.destroyForcibly(); // in case the process left its group
                if (!p.waitFor(KILL_GRACE)) {
                    // the waiter will record the exit whenever it comes; stopRequested keeps it from restarting
                    throw new SupervisorException("action " + spec.name() + ": pid " + pgid + " did not exit after SIGKILL");
                }
            }
            // strays and cgroup members go with the main process, as group leftovers do
            for (int fd : outside) {
                if (!PidFd.awaitExit(fd, 0)) PidFd.sendSignal(fd, SIGKILL);
            }
        } finally {
            for (int fd : outside) PidFd.close(fd);
        }
    }

    /** pidfds by pid of the strays and the cgroup's members outside the group: each process is signalled once. */
    private static Map<Long, Integer> openOutsiders(long pid, long pgid, Containment box) {
        Map<Long, Integer> fds = openStrays(pid, pgid);
        for (var member : box.openMembersOutside(pgid).entrySet()) {
            // a stray is held already
            if (fds.containsKey(member.getKey())) PidFd.close(member.getValue());
            else fds.put(member.getKey(), member.getValue());
        }
        return fds;
    }

    /** To the group, or to the process alone if it does not lead a group (an adopted one started some other way). */
    static void signal(long pid, int sig) {
        if (!PosixSignals.killGroup(pid, sig)) PosixSignals.kill(pid, sig);
    }

    /** Grandchildren that outlived the main process in its group (daemonized helpers, background jobs) go with it. */
    static void killLeftovers(long pgid) throws InterruptedException {
        if (!ProcTable.hasLiveMembers(pgid)) return;
        PosixSignals.killGroup(pgid, SIGKILL);
        long deadline = System.nanoTime() + GROUP_GRACE.toNanos();
        // SIGKILL takes effect asynchronously; there is no handle to wait on for processes that are not our children
        while (ProcTable.hasLiveMembers(pgid) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** pidfds of the main process's descendants that are no longer in its group; the common case (no children) reads one file. */
    private static Map<Long, Integer> openStrays(long pid, long pgid) {
        Map<Long, Integer> fds = new LinkedHashMap<>();
        List<Long> queue = new ArrayList<>(ProcTable.children(pid));
        for (int i = 0; i < queue.size() && i < MAX_DESCENDANTS; i++) {
            long child = queue.get(i);
            queue.addAll(ProcTable.children(child));
            if (PosixSignals.groupOf(child) == pgid) continue; // reached through the group signal
            int fd = PidFd.open(child);
            if (fd >= 0) fds.put(child, fd);
        }
        return fds;
    }
}
