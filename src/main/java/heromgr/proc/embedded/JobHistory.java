package heromgr.proc.embedded;

import heromgr.proc.ExitStatus;
import heromgr.proc.Job;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/** The last runs of one action, bounded so a crash loop cannot grow memory or the state file. Guarded by the action's lock. */
final class JobHistory {
    static final int DEFAULT_CAPACITY = 20;

    private final int capacity;
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    private long nextId = 1;

    JobHistory(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("job history capacity must be at least 1: " + capacity);
        this.capacity = capacity;
    }

    /** Continues a history read back from the state file: ids keep counting from where they were. */
    void restore(List<Job> previous) {
        for (Job j : previous) add(j);
        for (Job j : previous) nextId = Math.max(nextId, j.id() + 1);
    }

    /** The id the next {@link #begin} gives. */
    long nextId() {
        return nextId;
    }

    void begin(long pid, Instant start) {
        add(new Job(nextId++, pid, start, null, null, null, null));
    }

    /** Ends the running job (if any) the way exit describes it, under the given reason. */
    void end(ExitStatus exit, String reason) {
        Job last = jobs.peekLast();
        if (last == null || last.end() != null) return;
        jobs.removeLast();
        boolean known = exit.code() != ExitStatus.UNKNOWN;
        jobs.addLast(new Job(last.id(), last.pid(), last.start(), exit.at(),
                known ? exit.code() : null, known ? exit.signal() : null, reason));
    }

    /** Relabels the last finished job (the start limit is decided after the exit was recorded). */
    void relabelLast(String reason) {
        Job last = jobs.pollLast();
        if (last != null) jobs.addLast(new Job(last.id(), last.pid(), last.start(), last.end(), last.exitCode(), last.signal(), reason));
    }

    List<Job> list() {
        return List.copyOf(jobs);
    }

    static String reasonFor(ExitStatus exit) {
        if (exit.requested()) return "stopped by request";
        if (exit.signal() != 0) return "killed by signal " + exit.signal();
        return exit.code() == ExitStatus.UNKNOWN ? "exit status unknown" : "exited";
    }

    private void add(Job j) {
        jobs.addLast(j);
        while (jobs.size() > capacity) jobs.removeFirst();
    }
}
