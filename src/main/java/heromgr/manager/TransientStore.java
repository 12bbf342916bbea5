package heromgr.manager;

import heromgr.fs.ConfinedHomes;
import heromgr.fs.FailureCause;
import heromgr.fs.AtomicFile;
import heromgr.fs.DamagedCopies;
import heromgr.fs.JsonCodec;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The definitions of transient services on disk, one file each: $HERO_HOME/var/heromgr/transient/&lt;name&gt;.json.
 * One file per service (not one shared file) so a create or delete rewrites only its own few hundred bytes,
 * and a batch of creates never rewrites a growing file over and over.
 */
public final class TransientStore {
    private static final Logger log = LoggerFactory.getLogger(TransientStore.class);
    private static final String SUFFIX = ".json";
    /**
     * Made once: a writer per call looked its serializer up again on every create. Made by the first create (or by
     * {@link #prepare()} once the daemon serves), not with the store: building TransientDefinition's serializer (its
     * annotations read through generated proxy classes) was ~20 ms of a cold daemon's main thread before its socket.
     */
    private static final class Pretty {
        static final ObjectWriter WRITER = JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().forType(TransientDefinition.class);
    }

    private final Path dir;

    public TransientStore(Path stateDir) {
        this.dir = stateDir.resolve("transient");
    }

    /** Builds the definitions' writer ahead of the first create, which would otherwise wait for it. */
    public static void prepare() {
        Objects.requireNonNull(Pretty.WRITER);
    }

    public Path file(String name) {
        return dir.resolve(name + SUFFIX);
    }

    /**
     * Written atomically: after a crash the file is either absent or complete. In place when this returns (a daemon
     * killed from here on leaves it to the next); on disk against a power loss once the returned sync is awaited,
     * which a create does before it answers, after its start (see TransientCatalog).
     */
    public AtomicFile.FolderSync save(TransientDefinition def) {
        try {
            return AtomicFile.writeSyncingFolderLater(file(def.name()), Pretty.WRITER.writeValueAsBytes(def));
        } catch (IOException e) {
            throw FailureCause.writing(file(def.name()), e);
        }
    }

    public void delete(String name) {
        try {
            ConfinedHomes.refuseLinks(dir);
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the definition of " + name + " (" + file(name) + "): " + FailureCause.inWords(e), e);
        }
    }

    /**
     * Every readable definition. A file that cannot be read or whose name does not match its content is moved aside
     * (kept for a person) with a warning: one damaged file must not keep the daemon (and every other service) from
     * starting.
     */
    public List<TransientDefinition> loadAll() {
        if (!Files.isDirectory(dir)) return List.of();
        List<TransientDefinition> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                if (f.getFileName().toString().startsWith(".")) continue;
                read(f).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private Optional<TransientDefinition> read(Path f) {
        String expected = f.getFileName().toString();
        String name = expected.substring(0, expected.length() - SUFFIX.length());
        return DamagedCopies.readRecord(f, TransientDefinition.class).filter(def -> {
            if (name.equals(def.name()) && ServiceRegistry.NAME.matcher(def.name()).matches()) return true;
            DamagedCopies.setAside(f, "it names the service '" + def.name() + "'");
            return false;
        });
    }
}
