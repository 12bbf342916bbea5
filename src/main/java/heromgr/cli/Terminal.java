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
    /** Set by bin/heromgr for client calls: "true" when its stdin and stdout are a terminal (`[[ -t 0 && -t 1 ]]`). */
    static final String TERMINAL_PROPERTY = "heromgr.terminal";

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
        boolean interactive = onTerminal() && !"dumb".equals(env.get("TERM"));
        return new Terminal(writer(FileDescriptor.out), writer(FileDescriptor.err), env,
                interactive && env.get("NO_COLOR") == null, interactive);
    }

    /**
     * Whether stdin and stdout are a terminal: as bin/heromgr found it ({@link #TERMINAL_PROPERTY}), else as the
     * JDK's Console says. The launcher's test is a shell builtin; System.console() looks for console providers
     * with a ServiceLoader first (~1-2 ms of a status call's critical path).
     */
    private static boolean onTerminal() {
        String tested = System.getProperty(TERMINAL_PROPERTY);
        if (tested != null) return Boolean.parseBoolean(tested);
        Console console = System.console();
        // Since JDK 22 System.console() may be non-null when redirected; isTerminal() tells the truth.
        return console != null && console.isTerminal();
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
