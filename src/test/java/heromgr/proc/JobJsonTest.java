package heromgr.proc;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobJsonTest {
    /** The codec without our annotations: Jackson's own walk of the record, what every job was written as before. */
    private static final ObjectMapper WALK = JsonCodec.MAPPER.copy().configure(MapperFeature.USE_ANNOTATIONS, false);

    private static final Instant T0 = Instant.parse("2026-12-06T13:54:16.197632143Z");

    private static List<Job> jobs() {
        return List.of(
                new Job(1, 4711, T0, T0.plusMillis(54), 137, 9, "killed by signal 9"),
                new Job(2, 4712, T0.plusSeconds(1), T0.plusSeconds(2), 3, 0, "exited"),
                new Job(3, 4713, T0.plusSeconds(3), T0.plusSeconds(4), null, null, "gone while the daemon was down"),
                new Job(4, 4714, T0.plusSeconds(5), T0.plusSeconds(6), 0, 0, "a \"quoted\"\nreason, ünïcode ✓ \u0001"),
                new Job(5, 4715, T0.plusSeconds(7), null, null, null, null));
    }

    @Test
    void eachJobIsWrittenAsJacksonsWalkOfTheRecordWroteIt() throws Exception {
        for (Job job : jobs()) {
            String walked = WALK.writeValueAsString(job);
            assertThat(JsonCodec.MAPPER.writeValueAsString(job)).as("made").isEqualTo(walked);
            assertThat(JsonCodec.MAPPER.writeValueAsString(job)).as("remembered").isEqualTo(walked);
        }
    }

    @Test
    void anActionsStatusWithItsHistoryIsTheSameBytesCompactAndPretty() throws Exception {
        ActionStatus status = new ActionStatus("main", ActionState.RUNNING, 4715, 12, 4,
                ExitStatus.ofCode(137, T0, false), Path.of("/x/main.log"), null, List.of(), jobs(), null);
        for (int round = 0; round < 2; round++) {
            assertThat(JsonCodec.MAPPER.writeValueAsString(status)).isEqualTo(WALK.writeValueAsString(status));
            assertThat(JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(status))
                    .isEqualTo(WALK.writerWithDefaultPrettyPrinter().writeValueAsString(status));
        }
    }

    @Test
    void aWriterThatEscapesNonAsciiGetsItsOwnEscapes() throws Exception {
        Job job = jobs().get(3);
        JsonCodec.MAPPER.writeValueAsString(job); // remembered in the codec's plain form
        String escaped = JsonCodec.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(job);
        assertThat(escaped).isEqualTo(WALK.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(job))
                .contains("\\u00FC");
    }

    @Test
    void aJobReadBackIsTheJobWritten() throws Exception {
        for (Job job : jobs()) {
            assertThat(JsonCodec.MAPPER.readValue(JsonCodec.MAPPER.writeValueAsBytes(job), Job.class)).isEqualTo(job);
        }
    }

    @Test
    void jobsSharingASetEachKeepTheirOwnText() throws Exception {
        Job first = new Job(1, 100, T0, T0.plusMillis(5), 1, 0, "exited");
        List<Job> sharing = new ArrayList<>(List.of(first));
        for (long pid = 101; sharing.size() < 6; pid++) {
            Job other = new Job(1, pid, T0, T0.plusMillis(5), 1, 0, "exited");
            if (JobJson.setOf(other) == JobJson.setOf(first)) sharing.add(other);
        }
        for (int round = 0; round < 3; round++) {
            for (Job job : sharing) {
                assertThat(JsonCodec.MAPPER.writeValueAsString(job)).isEqualTo(WALK.writeValueAsString(job));
            }
        }
    }

    @Test
    void aCrashLoopsWholeHistoryIsRemembered() throws Exception {
        List<Job> history = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Instant start = T0.plusMillis(200L * i);
            history.add(new Job(900 + i, 30_000 + i, start, start.plusMillis(53), 137, 9, "killed by signal 9"));
        }
        JsonCodec.MAPPER.writeValueAsString(history);
        assertThat(history).allMatch(JobJson::remembers);
    }

    @Test
    void aRunsEndedRecordTakesTheSlotOfItsRunningOne() throws Exception {
        Job running = new Job(7, 4800, T0, null, null, null, null);
        Job ended = new Job(7, 4800, T0, T0.plusMillis(40), 137, 9, "killed by signal 9");
        assertThat(JsonCodec.MAPPER.writeValueAsString(running)).isEqualTo(WALK.writeValueAsString(running));
        assertThat(JsonCodec.MAPPER.writeValueAsString(ended)).isEqualTo(WALK.writeValueAsString(ended));
        assertThat(JobJson.remembers(ended)).isTrue();
        assertThat(JobJson.remembers(running)).as("the earlier record is replaced, not kept beside").isFalse();
        assertThat(JsonCodec.MAPPER.writeValueAsString(running)).isEqualTo(WALK.writeValueAsString(running));
    }

    /** A record of the same run that differs in any one field is another text: the lookup compares every field. */
    @Test
    void aRecordDifferingInAnyFieldIsWrittenAfresh() throws Exception {
        Job base = new Job(8, 4900, T0, T0.plusMillis(5), 1, 0, "exited");
        List<Job> variants = List.of(new Job(8, 4900, T0.plusNanos(1), T0.plusMillis(5), 1, 0, "exited"),
                new Job(8, 4900, T0, T0.plusMillis(6), 1, 0, "exited"), new Job(8, 4900, T0, T0.plusMillis(5), 2, 0, "exited"),
                new Job(8, 4900, T0, T0.plusMillis(5), 1, 15, "exited"), new Job(8, 4900, T0, T0.plusMillis(5), 1, 0, "start limit"),
                new Job(8, 4900, T0, T0.plusMillis(5), null, null, "exited"));
        for (Job variant : variants) {
            JsonCodec.MAPPER.writeValueAsString(base);
            assertThat(JsonCodec.MAPPER.writeValueAsString(variant)).isEqualTo(WALK.writeValueAsString(variant));
        }
    }
}
