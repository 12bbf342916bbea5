package heromgr.it;

import heromgr.testkit.DaemonProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's AOT training run (bin/heromgr-train) in its own JVM, as the script runs it: it must serve its whole
 * workload, stop on its own SIGTERM with exit 0, and leave none of its services running. It must not load the JSON
 * Schema validator either: what the training loads the cache holds, and the cache's classes are all loaded into every
 * daemon at start; a daemon needs the validator only for the first params its hand check is not sure of.
 */
class DaemonAotTrainingTest {
    @Test
    void trainingRunsTheDaemonAndLeavesNothingBehind() throws Exception {
        Path stderr = Files.createTempFile("heromgr-daemon-train-", ".err");
        Path classes = Files.createTempFile("heromgr-daemon-train-", ".classes");
        Process p = new ProcessBuilder(DaemonProcess.javaBinary(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                // filecount=0: no rotation, which would move the empty temp file aside as classes.0 and leave it
                "-Xlog:class+load=info:file=" + classes + "::filecount=0", "-cp", System.getProperty("java.class.path"), "heromgr.training.DaemonAotTraining")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        String marker = "600." + p.pid();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("training finished").isTrue();
            assertThat(p.exitValue()).as(Files.readString(stderr)).isZero();
            assertThat(Files.readString(stderr)).contains("serving on").contains("stopped");
            assertThat(sleepersOf(marker)).as("services of the training left running").isEmpty();
            assertThat(Files.readString(classes)).as("classes the training loaded").contains("heromgr.rpc.PlainParamsCheck")
                    .doesNotContain("com.networknt");
        } finally {
            p.destroyForcibly();
            sleepersOf(marker).forEach(ProcessHandle::destroyForcibly);
            Files.deleteIfExists(stderr);
            Files.deleteIfExists(classes);
        }
    }

    /** The training's services: /bin/sleep with the training JVM's pid in its argument. */
    private static List<ProcessHandle> sleepersOf(String marker) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().arguments().map(a -> Arrays.asList(a).contains(marker)).orElse(false))
                .toList();
    }
}
