package heromgr.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;
import java.util.Map;

/**
 * Where the CLI writes and what it reads from its surroundings. Passed in rather than taken from System so
 * tests can run the whole command line in-process and look at what it printed. interactive: a person watches a
 * terminal, so transient output (a progress bar redrawn with carriage returns) is worth drawing.
 */
public record Terminal(PrintWriter out, PrintWriter err, Map<String, String> env, boolean color, boolean interactive) {

    /** Not interactive: what tests and captured runs are. */
    public Terminal(PrintWriter out, PrintWriter err, Map<String, String> env, boolean color) {
        this(out, err, env, color, false);
    }

    /**
     * The real process: stdout/stderr and the environment. A terminal that says it cannot move the cursor or show
     * colors (TERM=dumb: Emacs shells, some CI log viewers) is treated as a pipe: no progress bar, no redrawn screen,
     * plain text. Colors also need NO_COLOR unset (no-color.org: any value turns them off).
     */
    public static Terminal system() {
        Map<String, String> env = System.getenv();
        Console console = System.console();
        // Since JDK 22 System.console() may be non-null when redirected; isTerminal() tells the truth.
        boolean interactive = console != null && console.isTerminal() && !"dumb".equals(env.get("TERM"));
        return new Terminal(writer(FileDescriptor.out), writer(FileDescriptor.err), env,
                interactive && env.get("NO_COLOR") == null, interactive);
    }

    /** A plain UTF-8 writer straight on the descriptor: System.out's extra layers buy nothing here. */
    private static PrintWriter writer(FileDescriptor fd) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
    }

    /** Wraps text in an ANSI SGR code when colors are on. */
    public String paint(String sgr, String text) {
        return color ? "\u001b[" + sgr + "m" + text + "\u001b[0m" : text;
    }

    public void flush() {
        out.flush();
        err.flush();
    }
}
