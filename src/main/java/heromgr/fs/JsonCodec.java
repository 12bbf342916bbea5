package heromgr.fs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The one JSON configuration of the daemon: snake_case field names (the wire and the state files agree),
 * paths, instants and durations (ISO-8601) as plain strings, and a nesting limit so absurdly deep input is refused cheaply.
 */
public final class JsonCodec {
    public static final int MAX_NESTING = 64;
    public static final ObjectMapper MAPPER = create();

    private JsonCodec() {
    }

    private static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                .build();
        var module = new SimpleModule("heromgr")
                .addSerializer(Path.class, new StdScalarSerializer<>(Path.class) {
                    @Override
                    public void serialize(Path value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                        gen.writeString(value.toString());
                    }
                })
                .addDeserializer(Path.class, new StdScalarDeserializer<>(Path.class) {
                    @Override
                    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        return Path.of(p.getValueAsString());
                    }
                })
                .addSerializer(Duration.class, new StdScalarSerializer<>(Duration.class) {
                    @Override
                    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                        gen.writeString(value.toString());
                    }
                })
                .addDeserializer(Duration.class, new StdScalarDeserializer<>(Duration.class) {
                    @Override
                    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        return Duration.parse(p.getValueAsString());
                    }
                })
                .addSerializer(Instant.class, new StdScalarSerializer<>(Instant.class) {
                    @Override
                    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                        gen.writeString(value.toString());
                    }
                })
                .addDeserializer(Instant.class, new StdScalarDeserializer<>(Instant.class) {
                    @Override
                    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        return Instant.parse(p.getValueAsString());
                    }
                });
        return new ObjectMapper(factory)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .registerModule(module);
    }
}
