package heromgr.manager;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import heromgr.manager.Results.StatusReport;

import java.io.IOException;

/**
 * A service.status answer's outer object, field by field: Jackson's walk read the record's three fields through
 * method handles C1 does not inline, a fifteenth of a status call's CPU once the actions were written by hand
 * (proc.ActionStatusJson). Written as the walk wrote it: name, state, then the actions by the provider's serializer.
 */
final class StatusReportJson extends StdSerializer<StatusReport> {
    StatusReportJson() {
        super(StatusReport.class);
    }

    @Override
    public void serialize(StatusReport report, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeStartObject(report);
        gen.writeStringField("name", report.name());
        gen.writeStringField("state", report.state());
        provider.defaultSerializeField("actions", report.actions(), gen);
        gen.writeEndObject();
    }
}
