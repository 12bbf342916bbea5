package heromgr.proc.embedded;

import heromgr.proc.ExitStatus;
import heromgr.proc.Job;
import heromgr.proc.state.RuntimeState;

import java.time.Instant;
import java.util.List;

/**
 * What an action's runs left behind: the job list, the last exit, how often it was restarted and why it failed.
 * Restored from the state file after a daemon restart; guarded by the action runner's lock.
 */
final class RunHistory {
    private final JobHistory jobs = new JobHistory(JobHistory.DEFAULT_CAPACITY);
    private int restartCount;
    private ExitStatus lastExit;
    private String reason;

    void restore(RuntimeState.Action saved) {
        restartCount = saved.restartCount();
        lastExit = saved.lastExit();
        reason = saved.reason();
        jobs.restore(saved.jobs());
    }

    /** The number of the next run (its job's id). */
    long nextRun() {
        return jobs.nextId();
    }

    void begin(long pid, Instant start) {
        jobs.begin(pid, start);
    }

    /**
     * The run ended with code (as RunningProcess reports it); requested: a stop ended it. adopted: the run was
     * adopted after a daemon restart, so an unknown code is the normal case and is labelled as such.
     */
    ExitStatus end(int code, boolean requested, boolean adopted) {
        lastExit = ExitStatus.ofCode(code, Instant.now(), requested);
        String why = requested ? "stopped by request"
                : code == ExitStatus.UNKNOWN && adopted ? "adopted: exit status unknown" : JobHistory.reasonFor(lastExit);
        jobs.end(lastExit, why);
        return lastExit;
    }

    /** The run ended unseen while the daemon was down (or was left running without supervision, as why says). */
    void endUnseen(String why) {
        lastExit = ExitStatus.unknown(Instant.now());
        jobs.end(lastExit, why);
    }

    /** A run the state file never recorded was found: the recorded one ended unseen, this one began (a restart). */
    void replaceUnrecorded(long pid, Instant start) {
        jobs.end(ExitStatus.unknown(Instant.now()), "gone while the daemon was down");
        jobs.begin(pid, start);
        restartCount++;
    }

    /** A user's start: the counters and the failure begin anew. */
    void reset() {
        restartCount = 0;
        reason = null;
    }

    void countRestart() {
        restartCount++;
    }

    void fail(String why) {
        reason = why;
    }

    /** The start limit was reached: the last run is labelled with it. */
    void hitStartLimit(String why) {
        reason = why;
        jobs.relabelLast("start limit");
    }

    int restartCount() {
        return restartCount;
    }

    ExitStatus lastExit() {
        return lastExit;
    }

    String reason() {
        return reason;
    }

    List<Job> jobs() {
        return jobs.list();
    }
}
