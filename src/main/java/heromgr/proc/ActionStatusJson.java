package heromgr.proc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * An action's status, field by field: Jackson's walk of the record read each of its eleven fields through core
 * reflection, whose method handles C1 does not inline; that walk was a sixth of a status call's CPU. Its nested values
 * are written here too: Jackson's list serializer looked up each job's serializer, and the bean walk of the last exit
 * read its fields as the record's (both a fifth of a status call's CPU once Jetty's HTTP layer was gone). Written as
 * the walk wrote it: in the record's order, snake_case, nulls kept, the enum by its name, the path as its text, the
 * instant and the non-empty health results by the serializers the provider holds for them.
 */
final class ActionStatusJson extends StdSerializer<ActionStatus> {
    private static final JobJson JOBS = new JobJson();

    ActionStatusJson() {
        super(ActionStatus.class);
    }

    @Override
    public void serialize(ActionStatus status, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeStartObject(status);
        gen.writeStringField("name", status.name());
        gen.writeStringField("state", status.state().name());
        gen.writeNumberField("pid", status.pid());
        gen.writeNumberField("uptime_ms", status.uptimeMs());
        gen.writeNumberField("restart_count", status.restartCount());
        writeLastExit(status.lastExit(), gen, provider);
        gen.writeStringField("log_file", status.logFile() == null ? null : status.logFile().toString());
        if (status.healthy() == null) gen.writeNullField("healthy");
        else gen.writeBooleanField("healthy", status.healthy());
        if (status.health().isEmpty()) {
            gen.writeArrayFieldStart("health");
            gen.writeEndArray();
        } else {
            provider.defaultSerializeField("health", status.health(), gen);
        }
        gen.writeArrayFieldStart("jobs");
        for (Job job : status.jobs()) JOBS.serialize(job, gen, provider);
        gen.writeEndArray();
        gen.writeStringField("reason", status.reason());
        gen.writeEndObject();
    }

    private static void writeLastExit(ExitStatus exit, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (exit == null) {
            gen.writeNullField("last_exit");
            return;
        }
        gen.writeObjectFieldStart("last_exit");
        gen.writeNumberField("code", exit.code());
        gen.writeNumberField("signal", exit.signal());
        provider.defaultSerializeField("at", exit.at(), gen);
        gen.writeBooleanField("requested", exit.requested());
        gen.writeEndObject();
    }
}
