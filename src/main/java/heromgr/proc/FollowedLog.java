package heromgr.proc;

import heromgr.fs.LogStream;

/** One stream of one action's log, read from its end on. */
public record FollowedLog(String action, LogStream stream, LogCursor cursor) {
}
