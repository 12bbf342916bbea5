package heromgr.proc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A job's JSON, made once: a job never changes (its end makes a new one), yet every status of its action writes the
 * last 20 jobs again, and a crash-looping service's history made half of a status call's cost (Jackson's bean
 * walk and two instants formatted per job). The text of the last jobs written is remembered, keyed by the job itself,
 * and written raw. Any other generator (pretty, with features or escapes of its own, without a codec to make a
 * text with) gets the fields written through it, as the codec would have.
 */
final class JobJson extends StdSerializer<Job> {
    /** A job and its text; immutable, so a slot is safely read by any thread without a lock. */
    private record Known(Job job, SerializedString text) {
    }

    /**
     * Sets of WAYS slots, a job's set chosen by its hash: 20 jobs in one table of 256 slots collide with odds of one in
     * two, and two jobs that shared a slot took it from each other at every call. Room for the histories of dozens of
     * services polled in turn; more only costs a remake of a text now and then.
     */
    private static final int SLOTS = 1024;
    private static final int WAYS = 4;
    /** A racing write only loses a remembered text. */
    private static final Known[] KNOWN = new Known[SLOTS];
    /** Which slot of a full set a new text takes, in turn; a lost increment only repeats a choice. */
    private static int nextVictim;

    JobJson() {
        super(Job.class);
    }

    @Override
    public void serialize(Job job, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (!writesAsTheCodec(gen)) {
            writeObject(job, gen, provider);
            return;
        }
        int set = setOf(job);
        Known known = find(job, set);
        if (known == null) {
            known = new Known(job, text(job, gen, provider));
            KNOWN[set + slotFor(job, set)] = known;
        }
        gen.writeRawValue(known.text());
    }

    /**
     * The first slot of the job's set, WAYS-aligned: the top bits of a Fibonacci multiply of pid, id and start. Not the
     * record's hashCode: that one runs through method handles, which C1 does not inline (a tenth of a call's CPU).
     */
    static int setOf(Job job) {
        long mixed = (job.pid() * 31 + job.id()) * 31 + (job.start() == null ? 0 : job.start().getNano());
        return (int) (mixed * 0x9E3779B97F4A7C15L >>> 54) & (SLOTS - WAYS);
    }

    static boolean remembers(Job job) {
        return find(job, setOf(job)) != null;
    }

    private static Known find(Job job, int set) {
        for (int way = 0; way < WAYS; way++) {
            Known known = KNOWN[set + way];
            if (known != null && same(known.job(), job)) return known;
        }
        return null;
    }

    /**
     * A remembered text is the codec's plain form: a generator that indents, escapes otherwise or was made with other
     * features (an ObjectWriter's) would not have written those bytes.
     */
    private static boolean writesAsTheCodec(JsonGenerator gen) {
        return gen.getPrettyPrinter() == null && gen.getCodec() != null && gen.getCharacterEscapes() == null
                && gen.getFeatureMask() == gen.getCodec().getFactory().getGeneratorFeatures();
    }

    /** The record's equals, field by field: a record's own runs through method handles, which C1 does not inline. */
    private static boolean same(Job a, Job b) {
        return a == b || sameRun(a, b) && Objects.equals(a.start(), b.start()) && Objects.equals(a.end(), b.end())
                && Objects.equals(a.exitCode(), b.exitCode()) && Objects.equals(a.signal(), b.signal())
                && Objects.equals(a.reason(), b.reason());
    }

    /** Two records of one run: its start, and its end or relabel, which make a new record of it. */
    private static boolean sameRun(Job a, Job b) {
        return a.id() == b.id() && a.pid() == b.pid();
    }

    /**
     * The slot of the job's earlier record if the set holds it, else a free slot, else the next victim. A job's end
     * (or relabel) makes a new record of the same run, in the same set: left beside it, the earlier one cost a
     * record equals at every later call that looked the run up past it.
     */
    private static int slotFor(Job job, int set) {
        int free = -1;
        for (int way = 0; way < WAYS; way++) {
            Known known = KNOWN[set + way];
            if (known == null) {
                if (free < 0) free = way;
            } else if (sameRun(known.job(), job)) {
                return way;
            }
        }
        return free >= 0 ? free : nextVictim++ & (WAYS - 1);
    }

    private static SerializedString text(Job job, JsonGenerator like, SerializerProvider provider) throws IOException {
        ByteArrayBuilder bytes = new ByteArrayBuilder();
        try (JsonGenerator gen = like.getCodec().getFactory().createGenerator(bytes)) {
            writeObject(job, gen, provider);
        }
        return new SerializedString(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
    }

    /** The fields as Jackson's walk of the record wrote them: in order, snake_case, nulls kept, instants by the codec. */
    private static void writeObject(Job job, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeStartObject(job);
        gen.writeNumberField("id", job.id());
        gen.writeNumberField("pid", job.pid());
        provider.defaultSerializeField("start", job.start(), gen);
        provider.defaultSerializeField("end", job.end(), gen);
        provider.defaultSerializeField("exit_code", job.exitCode(), gen);
        provider.defaultSerializeField("signal", job.signal(), gen);
        provider.defaultSerializeField("reason", job.reason(), gen);
        gen.writeEndObject();
    }
}
