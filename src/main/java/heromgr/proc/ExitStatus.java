package heromgr.proc;

import java.time.Instant;

/**
 * How a run ended: an exit code, or the signal that killed it (code is then 128 + signal, as a shell shows it).
 * {@code requested} is true when the supervisor itself stopped the process.
 */
public record ExitStatus(int code, int signal, Instant at, boolean requested) {
    public boolean success() {
        return code == 0 && signal == 0;
    }

    public String describe() {
        return signal != 0 ? "killed by signal " + signal : "exit code " + code;
    }
}
