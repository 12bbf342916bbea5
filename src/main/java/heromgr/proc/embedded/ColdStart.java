package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ExitStatus;
import heromgr.proc.cgroup.ControlGroups;
import heromgr.proc.os.PidFd;
import heromgr.proc.os.PosixSignals;
import heromgr.proc.os.PosixSpawn;
import heromgr.proc.os.ProcTable;
import heromgr.proc.state.RuntimeStateJson;
import heromgr.proc.state.SavedAction;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a cold daemon's first spawn, first exit and first state write would otherwise pay for in their own time, done
 * on a thread of its own once the daemon serves: the FFM downcall handles of posix_spawn, the spawn helper's pipe,
 * pidfds, signals and /proc (the linker generates classes per handle, and each call site more on its first call), and
 * Jackson's serializers for runtime.json with the SHA-256 provider of its fingerprints. Lazily, a cold first batch of
 * 100 starts took ~0.1 s longer, and so did the first restart after a re-adoption. Every call here is harmless: set-up
 * without the spawn, a pipe read to its end, a pidfd on the daemon itself, signal 0. A spawn that comes first simply
 * waits for the class initialisation in progress; a failure here is left for the real call to report.
 */
final class ColdStart {
    private ColdStart() {
    }

    /** @param then the daemon's other tidy-up after its start, run on the same thread once the set-up is done */
    static void prepareInBackground(Runnable then) {
        Thread.ofPlatform().daemon().name("heromgr-native-setup").start(() -> {
            prepare();
            then.run();
        });
    }

    private static void prepare() {
        try {
            long self = ProcessHandle.current().pid();
            ActionSpec spec = ActionSpec.process("prepare", List.of("/bin/true"), Map.of(), Path.of("/"), Path.of("/dev/null"));
            PosixSpawn.rehearse(new PosixSpawn.Request(Path.of("/bin/true"), spec.argv(), Map.of(), spec.workDir(), spec.logFile(), 0));
            ControlGroups.rehearseSpawn();
            int fd = PidFd.open(self);
            if (fd >= 0) {
                PidFd.awaitExit(fd, 0);
                PidFd.reap(fd); // the daemon is not its own child: an immediate ECHILD
                PidFd.close(fd);
            }
            PosixSignals.kill(self, 0);
            PosixSignals.groupOf(self);
            ProcTable.stat(self);
            ProcTable.children(self);
            // the writer's own path: a spec's JSON and fingerprint, then the rest of an action with an exit (no job: an
            // idle daemon would hold that serializer for nothing; the first batch's first write makes it)
            var run = new RunSnapshot(spec, ActionState.RUNNING, self, self, 0, 0, 0, ExitStatus.unknown(Instant.now()),
                    List.of(), null);
            SavedAction action = () -> run;
            new RuntimeStateJson().serialize(Map.of("prepare", List.of(action)), actions -> actions);
        } catch (RuntimeException | LinkageError e) {
            // the real call reports whatever is wrong
        }
    }
}
