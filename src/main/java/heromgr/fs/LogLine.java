package heromgr.fs;

import java.time.Instant;

/**
 * One line of an action's log: its text (without "\n"), the stream it was written to, and when it was written at
 * the latest (see {@link LogIndex}: an upper bound, exact for the last line written before each sample).
 */
public record LogLine(Instant time, LogStream stream, String text) {
}
