package heromgr.proc;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.time.Instant;

/**
 * One run of an action. end, exitCode and signal are null while it runs (and exitCode/signal stay null when the
 * status cannot be known); reason says how it ended: "exited", "killed by signal 9", "stopped by request",
 * "start limit", "adopted: exit status unknown", "gone while the daemon was down", "left running, unsupervised".
 */
@JsonSerialize(using = JobJson.class)
public record Job(long id, long pid, Instant start, Instant end, Integer exitCode, Integer signal, String reason) {
}
