package heromgr.service;

import heromgr.proc.Signal;

/**
 * The signal that asks a service's processes to stop (see {@link HeroService#stopSignal}); SIGKILL follows when they
 * outlast {@link HeroService#stopTimeout}. PostgreSQL, for one, takes SIGINT as its fast shutdown. A subset of
 * {@link Signal}: a service class cannot name SIGKILL as its polite stop.
 */
public enum StopSignal {
    TERM, INT, QUIT, HUP, USR1, USR2;

    /** The supervisor's signal; a switch, not a lookup by name, so the compiler checks every constant has one. */
    Signal signal() {
        return switch (this) {
            case TERM -> Signal.TERM;
            case INT -> Signal.INT;
            case QUIT -> Signal.QUIT;
            case HUP -> Signal.HUP;
            case USR1 -> Signal.USR1;
            case USR2 -> Signal.USR2;
        };
    }
}
