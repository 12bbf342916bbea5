package heromgr.manager;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import heromgr.fs.JsonCodec;
import heromgr.manager.Results.StatusReport;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.ExitStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusReportJsonTest {
    /** The codec without our annotations: Jackson's own walk of the records, what every status was written as before. */
    private static final ObjectMapper WALK = JsonCodec.MAPPER.copy().configure(MapperFeature.USE_ANNOTATIONS, false);

    private static List<StatusReport> reports() {
        var main = new ActionStatus("main", ActionState.RUNNING, 5002, 1234, 1,
                ExitStatus.ofCode(137, Instant.parse("2026-12-06T16:50:01.123456789Z"), false), Path.of("/x/main.log"));
        var idle = new ActionStatus("wörker", ActionState.STOPPED, 0, 0, 0, null, null);
        return List.of(new StatusReport("svc", "RUNNING", List.of(main, idle)), new StatusReport("none", "STOPPED", List.of()),
                new StatusReport("\"quoted\"", null, List.of(idle)));
    }

    @Test
    void aReportIsWrittenAsJacksonsWalkOfTheRecordWroteItInEveryForm() throws Exception {
        for (StatusReport report : reports()) {
            assertThat(JsonCodec.MAPPER.writeValueAsString(report)).isEqualTo(WALK.writeValueAsString(report));
            assertThat(JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report))
                    .isEqualTo(WALK.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            assertThat(JsonCodec.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(report))
                    .isEqualTo(WALK.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(report));
        }
        assertThat(JsonCodec.MAPPER.writeValueAsString(reports())).isEqualTo(WALK.writeValueAsString(reports()));
    }
}
