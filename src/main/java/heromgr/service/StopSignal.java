package heromgr.service;

/**
 * The signal that asks a service's processes to stop (see {@link HeroService#stopSignal}); SIGKILL follows when they
 * outlast {@link HeroService#stopTimeout}. PostgreSQL, for one, takes SIGINT as its fast shutdown.
 */
public enum StopSignal {
    TERM, INT, QUIT, HUP, USR1, USR2
}
