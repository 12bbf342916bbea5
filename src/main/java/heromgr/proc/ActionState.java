package heromgr.proc;

/** Where an action stands. BACKOFF: exited, a restart is scheduled. FAILED: exited and will not be restarted. */
public enum ActionState { STOPPED, STARTING, RUNNING, STOPPING, BACKOFF, EXITED, FAILED }
