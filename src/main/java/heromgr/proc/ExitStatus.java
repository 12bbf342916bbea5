package heromgr.proc;

import java.time.Instant;

/**
 * How a run ended: an exit code, or the signal that killed it (code is then 128 + signal, as a shell shows it).
 * {@code requested} is true when the supervisor itself stopped the process. Code {@value #UNKNOWN} with signal 0:
 * the status could not be known (a process adopted after a daemon restart is not our child, so nobody tells us).
 */
public record ExitStatus(int code, int signal, Instant at, boolean requested) {
    public static final int UNKNOWN = -1;

    /** From a code as Java reports it (death by signal N is 128 + N, the way a shell shows it). */
    public static ExitStatus ofCode(int code, Instant at, boolean requested) {
        int signal = code > 128 && code <= 128 + 64 ? code - 128 : 0;
        return new ExitStatus(code, signal, at, requested);
    }

    public static ExitStatus unknown(Instant at) {
        return new ExitStatus(UNKNOWN, 0, at, false);
    }

    public boolean success() {
        return code == 0 && signal == 0;
    }

    public String describe() {
        if (signal != 0) return "killed by signal " + signal;
        return code == UNKNOWN ? "exit status unknown" : "exit code " + code;
    }
}
