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

    /** The real process: stdout/stderr, the environment, colors only on an interactive terminal without NO_COLOR. */
    public static Terminal system() {
        Map<String, String> env = System.getenv();
        Console console = System.console();
        // Since JDK 22 System.console() may be non-null when redirected; isTerminal() tells the truth.
        boolean interactive = console != null && console.isTerminal();
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
