package heromgr.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the command line with captured output. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var terminal = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), env, false);
        int code = Main.execute(args, terminal);
        return new CliRun(code, out.toString(), err.toString());
    }
}
