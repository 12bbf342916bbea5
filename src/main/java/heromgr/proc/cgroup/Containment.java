package heromgr.proc.cgroup;

import heromgr.proc.os.PosixSpawn;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What holds one action's processes besides their process group: its cgroup, or nothing when cgroups are not to be
 * had. Every call comes under the action runner's lock.
 */
public sealed interface Containment permits ControlGroup, Containment.None {

    /** Spawns the request's process inside: its pid. Fails only as PosixSpawn#spawn does, never because of the cgroup. */
    long spawn(PosixSpawn.Request request);

    /**
     * pidfds of the processes inside now that are not in process group pgid (0: every one), by pid; each verified to be
     * a member after its pidfd was opened, so a pid recycled meanwhile is never among them. The caller closes them.
     */
    Map<Long, Integer> openMembersOutside(long pgid);

    /**
     * The current run was born inside, so every process it made is a member wherever it went (setsid, a double fork):
     * a stop may signal the group first and find the rest among the members after, without walking the tree first.
     */
    boolean holdsWholeRun();

    /** Whether some live process (not a zombie) is inside now: one small read. */
    boolean populated();

    /** SIGKILL to everything inside, then a wait (up to grace) until it is empty. Costs one small read when empty. */
    void killAll(Duration grace);

    /** After a stop: gone if empty (the next start makes it again), so stopped services leave nothing behind. */
    void remove();

    /** Where it is, for service.inspect; empty without one. */
    Optional<Path> path();

    /** No cgroup: the process group and the tree found at stop time are all a stop reaches. */
    record None() implements Containment {
        @Override
        public long spawn(PosixSpawn.Request request) {
            return PosixSpawn.spawn(request);
        }

        @Override
        public Map<Long, Integer> openMembersOutside(long pgid) {
            return Map.of();
        }

        @Override
        public boolean holdsWholeRun() {
            return false;
        }

        @Override
        public boolean populated() {
            return false;
        }

        @Override
        public void killAll(Duration grace) {
        }

        @Override
        public void remove() {
        }

        @Override
        public Optional<Path> path() {
            return Optional.empty();
        }
    }
}
