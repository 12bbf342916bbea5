package heromgr.proc.log;

import heromgr.fs.LogFiles;
import heromgr.fs.LogIndex;
import heromgr.fs.LogLine;
import heromgr.fs.LogStream;
import heromgr.fs.TimedLog;
import heromgr.proc.ActionSpec;
import heromgr.proc.LogRotation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The time index the rotator keeps beside each log: times that survive rotation, a reader without the daemon, and a bound. */
class TimeIndexTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int LINES = 24;
    /** ~410-byte lines 150 ms apart: a 4 KiB log rotates every ten lines or so, cutting some line in two. */
    private static final String SLOW = "i=0; while [ $i -lt " + LINES + " ]; do i=$((i+1)); printf 'line %02d %0400d\\n' $i 0; sleep 0.15; done; sleep 60";

    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<ActionSpec> running = new CopyOnWriteArrayList<>();
    private final LogRotator rotator = new LogRotator(scheduler, () -> List.copyOf(running), Duration.ofMillis(50));
    private Process writer;

    @AfterEach
    void cleanUp() throws InterruptedException {
        running.clear();
        if (writer != null) {
            writer.destroyForcibly();
            writer.waitFor();
        }
        await().atMost(BOUND).until(rotator::idle);
        rotator.close();
        scheduler.shutdownNow();
    }

    @Test
    void everyLineKeepsTheTimeItWasWrittenAcrossRotationsAndIsReadTheSameWithoutTheRotator() throws IOException {
        Path log = Files.createDirectories(tmp.resolve("logs")).resolve("slow.log");
        List<String> argv = List.of("/bin/sh", "-c", SLOW);
        writer = new ProcessBuilder(argv).redirectOutput(Redirect.appendTo(log.toFile())).redirectError(Redirect.DISCARD).start();
        running.add(ActionSpec.process("slow", argv, Map.of(), tmp, log).withLogRotation(new LogRotation(4096, 10)));
        await().atMost(BOUND).until(() -> rotator.read(log, TimedLog.Query.last(100)).size() == LINES);
        running.clear();
        await().atMost(BOUND).until(rotator::idle);

        List<LogLine> lines = rotator.read(log, TimedLog.Query.last(100));
        assertThat(LogFiles.rotatedFiles(log)).as("rotated").hasSizeGreaterThan(1);
        for (Path rotated : LogFiles.rotatedFiles(log)) assertThat(LogFiles.indexOf(rotated)).exists();
        for (int i = 0; i < LINES; i++) {
            // whole again where a rotation cut it in two
            assertThat(lines.get(i).text()).isEqualTo(String.format("line %02d %0400d", i + 1, 0));
            assertThat(lines.get(i).stream()).isEqualTo(LogStream.STDOUT);
        }
        List<Instant> times = lines.stream().map(LogLine::time).toList();
        assertThat(times).isSorted();
        // written 150 ms apart: 23 gaps, whatever the load, not the few ms of one read
        assertThat(Duration.between(times.getFirst(), times.getLast())).isGreaterThan(Duration.ofMillis(2500));

        // what `heromgr logs` reads with the daemon down: the files and their indexes alone, the same times
        assertThat(TimedLog.read(log, TimedLog.Query.last(100))).isEqualTo(lines);
        Instant middle = times.get(LINES / 2);
        List<LogLine> since = TimedLog.read(log, new TimedLog.Query(100, middle, null, null));
        assertThat(since).allMatch(l -> !l.time().isBefore(middle)).contains(lines.get(LINES / 2)).contains(lines.getLast());
        List<LogLine> until = TimedLog.read(log, new TimedLog.Query(100, null, middle, null));
        assertThat(until).allMatch(l -> !l.time().isAfter(middle)).contains(lines.getFirst()).contains(lines.get(LINES / 2));
        assertThat(since.size() + until.size()).isGreaterThanOrEqualTo(LINES + 1);
    }

    @Test
    void anIndexStaysBoundedKeepingItsNewestMarksAndEndsAtTheFilesEnd() throws IOException {
        Path log = tmp.resolve("busy.log");
        var indexer = new TimeIndexer();
        for (int i = 0; i < LogIndex.MAX_MARKS + 100; i++) {
            Files.writeString(log, "x\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            indexer.sample(Set.of(log), Set.of());
        }
        List<LogIndex.Mark> marks = LogIndex.read(log);
        assertThat(marks.size()).isLessThanOrEqualTo(LogIndex.MAX_MARKS).isGreaterThan(LogIndex.MAX_MARKS / 2);
        assertThat(marks.getLast().offset()).isEqualTo(Files.size(log));
        // the newest half untouched: one mark per line written
        assertThat(marks.get(marks.size() - 2).offset()).isEqualTo(Files.size(log) - 2);

        // truncated by someone else: the marks of bytes that are gone go too
        Files.writeString(log, "y\n");
        // the size it saw is the one the rotator decides on: one stat per file and tick
        assertThat(indexer.sample(Set.of(log), Set.of())).containsExactly(Map.entry(log, 2L));
        assertThat(LogIndex.read(log)).extracting(LogIndex.Mark::offset).containsExactly(2L);
    }

    @Test
    void aQuietLogIsWatchedInsteadOfSampledAndItsNextLineStillGetsTheNextTicksMark() throws IOException {
        Path log = tmp.resolve("quiet.log");
        Files.writeString(log, "first\n");
        try (var indexer = new TimeIndexer()) {
            for (int i = 0; i <= TimeIndexer.QUIET_TICKS; i++) {
                // the inotify instance is opened by the first file that goes quiet, not by the daemon's start
                assertThat(indexer.watching()).as("tick %d: inotify opened", i).isFalse();
                assertThat(indexer.sample(Set.of(log), Set.of())).as("tick %d: sampled", i).containsKey(log);
            }
            assertThat(indexer.watching()).isTrue();
            // quiet now: not even stat'ed, but for its one recheck in every RECHECK_TICKS, which leaves it quiet
            int sampled = 0;
            for (int i = 0; i < 2 * TimeIndexer.RECHECK_TICKS; i++) {
                if (indexer.sample(Set.of(log), Set.of()).containsKey(log)) sampled++;
            }
            assertThat(sampled).as("samples of a quiet log in %d ticks", 2 * TimeIndexer.RECHECK_TICKS).isEqualTo(2);

            Files.writeString(log, "second\n", StandardOpenOption.APPEND);
            assertThat(indexer.sample(Set.of(log), Set.of())).as("the tick after a write").containsEntry(log, Files.size(log));
            assertThat(LogIndex.read(log).getLast().offset()).isEqualTo(Files.size(log));
            // still written to: sampled every tick again
            Files.writeString(log, "third\n", StandardOpenOption.APPEND);
            assertThat(indexer.sample(Set.of(log), Set.of())).containsEntry(log, Files.size(log));
        }
    }

    @Test
    void aQuietLogWhoseProcessStoppedGetsItsLastSampleAndIsForgotten() throws IOException {
        Path log = tmp.resolve("stopped.log");
        Files.writeString(log, "first\n");
        try (var indexer = new TimeIndexer()) {
            for (int i = 0; i <= TimeIndexer.QUIET_TICKS + 1; i++) indexer.sample(Set.of(log), Set.of());
            Files.writeString(log, "last words\n", StandardOpenOption.APPEND);
            assertThat(indexer.sample(Set.of(), Set.of())).as("its last words").containsEntry(log, Files.size(log));
            // one more sample finds it unchanged, and it is forgotten until it runs again
            assertThat(indexer.sample(Set.of(), Set.of())).containsEntry(log, Files.size(log));
            assertThat(indexer.sample(Set.of(), Set.of())).as("forgotten").isEmpty();
        }
    }
}
