package heromgr.testkit;

import heromgr.proc.embedded.EmbeddedSupervisor;
import heromgr.proc.os.PosixSignals;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Embedded supervisors running real processes, cleaned up after each test whatever it left behind: the supervisors it
 * made are closed with their processes stopped (the last made first), every pid it saw is killed with its group if it
 * still runs (a failed test may leave a supervisor's process or a stranger running), then its directory is removed.
 * <pre>{@code @RegisterExtension final SupervisorExtension fixture = new SupervisorExtension();}</pre>
 * Supervisors may be made in field initializers declared after the fixture.
 */
public final class SupervisorExtension implements AfterEachCallback {
    private final List<EmbeddedSupervisor> supervisors = new CopyOnWriteArrayList<>();
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();
    private Path dir;

    /** The test's own directory, made at the first call; removed after the test. */
    public synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("heromgr-test-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** A supervisor whose state lives in memory only. */
    public EmbeddedSupervisor supervisor() {
        return closeAfter(new EmbeddedSupervisor());
    }

    /** A supervisor on a state file: it adopts what an earlier one on the same file left running. */
    public EmbeddedSupervisor supervisor(Path stateFile) {
        return closeAfter(new EmbeddedSupervisor(stateFile));
    }

    /** A supervisor the test made itself, closed after the test like the others. */
    public EmbeddedSupervisor closeAfter(EmbeddedSupervisor supervisor) {
        supervisors.add(supervisor);
        return supervisor;
    }

    /** Kills pid (0: none) and the members of its group after the test if they still run; returns pid. */
    public long killAfter(long pid) {
        if (pid > 0) pids.add(pid);
        return pid;
    }

    /**
     * Closes the supervisors and kills the pids now, for a test that tidies something up after them (a later call,
     * and the one after the test, find nothing left to do).
     */
    public void closeAndKillAll() {
        RuntimeException failure = null;
        for (EmbeddedSupervisor s : supervisors.reversed()) {
            supervisors.remove(s);
            try {
                s.close(true);
            } catch (RuntimeException e) {
                // the others are closed all the same, and the kills below still run
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        for (long pid : pids) {
            for (long member : ProcFs.liveMembers(pid)) PosixSignals.kill(member, 9);
            if (ProcFs.running(pid)) PosixSignals.kill(pid, 9);
        }
        pids.clear();
        if (failure != null) throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            closeAndKillAll();
        } finally {
            removeDir();
        }
    }

    private synchronized void removeDir() throws IOException {
        if (dir == null) return;
        FileTree.delete(dir);
        dir = null;
    }
}
