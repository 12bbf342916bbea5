package heromgr.proc;

import heromgr.fs.LogLine;

/** A line of a service's log with the action that wrote it. */
public record ActionLine(String action, LogLine line) {
}
