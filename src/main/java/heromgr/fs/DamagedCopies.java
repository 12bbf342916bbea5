package heromgr.fs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Damaged state kept for a person to read: beside the file, as {@code <file>.damaged-<UTC time>[-n]}. A name is
 * never reused, so a second damage never overwrites the copy of the first.
 */
public final class DamagedCopies {
    private static final Logger log = LoggerFactory.getLogger(DamagedCopies.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int NAMES_PER_SECOND = 1000;

    private DamagedCopies() {
    }

    /**
     * A JSON record the daemon wrote (an install record, a build record, a transient definition): empty when there is
     * none. One that cannot be read is moved aside (kept for a person, one WARN line) and counts as none, so one
     * damaged file never stops the daemon, or a list of every service, from working.
     */
    public static <T> Optional<T> readRecord(Path file, Class<T> type) {
        if (!Files.exists(file)) return Optional.empty();
        try {
            return Optional.of(JsonCodec.MAPPER.readValue(file.toFile(), type));
        } catch (IOException | RuntimeException e) {
            setAside(file, "unreadable: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return Optional.empty();
        }
    }

    /** Moves a damaged record aside and says so in the log; if even that fails, says that (the file stays). */
    public static void setAside(Path file, String why) {
        try {
            log.warn("{} is damaged ({}): moved to {}; it counts as absent", file, why, move(file));
        } catch (IOException e) {
            log.warn("{} is damaged ({}) and cannot be moved aside: {}", file, why, e.toString());
        }
    }

    /** Moves the damaged file aside; returns where it went. */
    public static Path move(Path file) throws IOException {
        return keep(file, aside -> Files.move(file, aside));
    }

    /** Writes the damaged bytes cut from file (a torn tail) beside it; returns where they went. */
    public static Path write(Path file, byte[] damaged) throws IOException {
        return keep(file, aside -> Files.write(aside, damaged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    @FunctionalInterface
    private interface Placement {
        void to(Path aside) throws IOException;
    }

    private static Path keep(Path file, Placement placement) throws IOException {
        String base = file.getFileName() + ".damaged-" + STAMP.format(Instant.now());
        for (int n = 0; n < NAMES_PER_SECOND; n++) {
            Path aside = file.resolveSibling(n == 0 ? base : base + "-" + n);
            try {
                placement.to(aside); // never replacing: every damaged copy stays
                return aside;
            } catch (FileAlreadyExistsException taken) {
                // a copy kept earlier in the same second: the next suffix
            }
        }
        throw new FileAlreadyExistsException(file.resolveSibling(base).toString(), null, NAMES_PER_SECOND + " copies of this second exist");
    }
}
