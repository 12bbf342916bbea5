package heromgr.services;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A real client program (redis-cli, psql) run by a test, without a shell, bounded in time; killed by pid if it outlasts it. */
record ClientCommand(int exitCode, String output) {
    private static final long LIMIT_SECONDS = 60;

    /** argv as the given account (via setpriv) when there is one, else as this JVM's user. */
    static ClientCommand run(Optional<SystemAccount> as, List<String> argv) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        as.ifPresent(a -> command.addAll(List.of("/usr/bin/setpriv", "--reuid=" + a.uid(), "--regid=" + a.gid(), "--init-groups")));
        command.addAll(argv);
        Process p = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) throw new AssertionError(argv + " did not finish within " + LIMIT_SECONDS + " s");
            return new ClientCommand(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        } finally {
            p.destroyForcibly();
        }
    }

    /** The output of a run that must succeed. */
    static String output(Optional<SystemAccount> as, List<String> argv) throws IOException, InterruptedException {
        ClientCommand c = run(as, argv);
        if (c.exitCode != 0) throw new AssertionError(argv + " exited " + c.exitCode + ": " + c.output);
        return c.output;
    }
}
