package heromgr.proc;

/**
 * Where an action stands. BACKOFF: exited, a restart is scheduled. FAILED: exited and will not be restarted
 * (its policy says so, or the start limit was hit; ActionStatus.reason says which).
 */
public enum ActionState { STOPPED, STARTING, RUNNING, STOPPING, BACKOFF, EXITED, FAILED }
