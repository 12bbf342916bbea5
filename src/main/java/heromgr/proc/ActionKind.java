package heromgr.proc;

/** A long-running process, or a one-shot that runs to completion (success is exit 0). */
public enum ActionKind { PROCESS, ONESHOT }
