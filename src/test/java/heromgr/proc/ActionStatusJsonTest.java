package heromgr.proc;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ActionStatusJsonTest {
    /** The codec without our annotations: Jackson's own walk of the records, what every status was written as before. */
    private static final ObjectMapper WALK = JsonCodec.MAPPER.copy().configure(MapperFeature.USE_ANNOTATIONS, false);

    private static final Instant T0 = Instant.parse("2026-12-06T16:50:01.123456789Z");

    private static List<ActionStatus> statuses() {
        var jobs = List.of(new Job(1, 5001, T0, T0.plusMillis(30), 137, 9, "killed by signal 9"),
                new Job(2, 5002, T0.plusMillis(31), null, null, null, null));
        var checks = List.of(new HealthResult("tcp", "127.0.0.1:8080", true, 0, 0.25, null),
                new HealthResult("http", "http://127.0.0.1:8080/health", false, 503, 12.5, "status 503 \"down\"\n"));
        return List.of(
                new ActionStatus("main", ActionState.RUNNING, 5002, 1234, 1, ExitStatus.ofCode(137, T0, false),
                        Path.of("/home/x/var/log/svc/main.log"), true, checks, jobs, null),
                new ActionStatus("worker", ActionState.STOPPED, 0, 0, 0, null, null),
                new ActionStatus("ünï ✓", ActionState.FAILED, 0, 0, 10, ExitStatus.ofCode(3, T0, false),
                        Path.of("/x/main.log"), false, List.of(), jobs, "start limit hit: \"10\" starts in 60 s\u0001"));
    }

    @Test
    void eachStatusIsWrittenAsJacksonsWalkOfTheRecordWroteItCompactAndPretty() throws Exception {
        for (ActionStatus status : statuses()) {
            assertThat(JsonCodec.MAPPER.writeValueAsString(status)).isEqualTo(WALK.writeValueAsString(status));
            assertThat(JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(status))
                    .isEqualTo(WALK.writerWithDefaultPrettyPrinter().writeValueAsString(status));
        }
    }

    @Test
    void aListOfStatusesAndAWriterThatEscapesNonAsciiAgree() throws Exception {
        assertThat(JsonCodec.MAPPER.writeValueAsString(statuses())).isEqualTo(WALK.writeValueAsString(statuses()));
        String escaped = JsonCodec.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(statuses());
        assertThat(escaped).isEqualTo(WALK.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(statuses()))
                .contains("\\u00FC");
    }

    @Test
    void aStatusReadBackIsTheStatusWritten() throws Exception {
        for (ActionStatus status : statuses()) {
            assertThat(JsonCodec.MAPPER.readValue(JsonCodec.MAPPER.writeValueAsBytes(status), ActionStatus.class)).isEqualTo(status);
        }
    }
}
