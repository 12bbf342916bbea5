package heromgr.proc.log;

import heromgr.proc.ActionSpec;
import heromgr.proc.LogRotation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Size rotation of a real process's log while it keeps writing: every line kept once, in order. */
class LogRotatorTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** Numbered lines as fast as a shell writes them, with a short pause every 500 so a test does not fill the disk. */
    private static final String FLOOD = "i=0; while :; do i=$((i+1)); echo \"line $i\"; "
            + "if [ $((i % 500)) -eq 0 ]; then sleep 0.01; fi; done";

    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /** The actions whose process runs, as the supervisor would tell the rotator: the one flooder while it runs. */
    private final List<ActionSpec> running = new CopyOnWriteArrayList<>();
    private final LogRotator rotator = new LogRotator(scheduler, () -> List.copyOf(running), LogRotator.CHECK_EVERY);
    private Process flooder;

    @AfterEach
    void cleanUp() {
        try {
            stopFlood();
        } finally {
            rotator.close();
            scheduler.shutdownNow();
        }
    }

    /** A process appending to its log with O_APPEND, as a supervised one does, and its spec among the running ones. */
    private Path flood(LogRotation rotation) throws IOException {
        Path log = Files.createDirectories(tmp.resolve("logs")).resolve("flood.log");
        List<String> argv = List.of("/bin/sh", "-c", FLOOD);
        flooder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile())).start();
        running.add(ActionSpec.process("flood", argv, Map.of(), tmp, log).withLogRotation(rotation));
        return log;
    }

    /** Stops the flooder and waits for a rotation in flight, so the files hold what they will hold. */
    private void stopFlood() {
        running.clear();
        if (flooder != null) {
            flooder.destroyForcibly();
            await().atMost(BOUND).until(() -> !flooder.isAlive());
        }
        await().atMost(BOUND).until(rotator::idle);
    }

    /** The rotated files oldest first, then the live one, as one text. */
    private static String chain(Path log) throws IOException {
        var all = new ByteArrayOutputStream();
        for (Path f : LogRotation.chain(log)) all.write(Files.readAllBytes(f));
        return all.toString();
    }

    private static String lines(long from, long to) {
        var sb = new StringBuilder();
        for (long i = from; i <= to; i++) sb.append("line ").append(i).append('\n');
        return sb.toString();
    }

    private static long lineCount(String text) {
        return text.chars().filter(c -> c == '\n').count();
    }

    @Test
    void everyLineIsKeptOnceInOrderAcrossSeveralRotations() throws IOException {
        Path log = flood(new LogRotation(64 * 1024, 1000));
        await().atMost(BOUND).until(() -> LogRotation.rotatedFiles(log).size() >= 3);
        stopFlood();
        String text = chain(log);
        assertThat(text).isEqualTo(lines(1, lineCount(text)));
        // collapsed: each rotated file is whole filesystem blocks
        for (Path f : LogRotation.rotatedFiles(log)) assertThat(Files.size(f) % 4096).isZero();
        assertThat(Files.size(log)).isLessThan(Files.size(LogRotation.rotated(log, 1)) + 1024 * 1024);
    }

    @Test
    void keepDeletesTheOldestFiles() throws IOException {
        Path log = flood(new LogRotation(32 * 1024, 2));
        await().atMost(BOUND).until(() -> rotator.ledger().entry(log).starts().size() >= 2
                && rotator.ledger().entry(log).seq() >= 8);
        stopFlood();
        assertThat(LogRotation.rotatedFiles(log)).hasSize(2);
        assertThat(LogRotation.rotated(log, 3)).doesNotExist();
        String text = chain(log);
        // the oldest kept file starts where a block boundary cut a line: drop that partial line
        String whole = text.substring(text.indexOf('\n') + 1);
        long first = Long.parseLong(whole.substring("line ".length(), whole.indexOf('\n')));
        assertThat(first).isGreaterThan(1);
        assertThat(whole).isEqualTo(lines(first, first + lineCount(whole) - 1));
    }

    @Test
    void withoutCollapseTheFallbackCopiesAndTruncates() throws IOException {
        rotator.collapse = false;
        Path log = flood(new LogRotation(64 * 1024, 1000));
        await().atMost(BOUND).until(() -> LogRotation.rotatedFiles(log).size() >= 3);
        stopFlood();
        String text = chain(log);
        // in order, none twice; the fallback may lose what is written between its last copy and the truncate (a
        // window of microseconds, longer when the machine is busy): at most one gap per rotation, right at the cut
        List<Long> numbers = new ArrayList<>();
        for (String line : text.split("\n")) numbers.add(Long.parseLong(line.substring("line ".length())));
        assertThat(numbers.getFirst()).isEqualTo(1);
        int gaps = 0;
        for (int i = 1; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).isGreaterThan(numbers.get(i - 1));
            if (numbers.get(i) != numbers.get(i - 1) + 1) gaps++;
        }
        long rotations = rotator.ledger().entry(log).seq() / 2;
        assertThat(gaps).isLessThanOrEqualTo((int) rotations);
    }
}
