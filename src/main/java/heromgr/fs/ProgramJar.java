package heromgr.fs;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * The jar (or classes folder) this JVM runs heromgr from. A class's CodeSource says it, except that a class the JVM
 * took from an AOT cache may have none (seen under systemd in a machine whose /tmp hid the folder the cache was
 * trained in): then the class path, which the launcher sets to the jar alone, says it.
 */
public final class ProgramJar {
    private ProgramJar() {
    }

    public static Optional<Path> location() {
        CodeSource source = ProgramJar.class.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url != null) {
            try {
                return Optional.of(Path.of(url.toURI()).toAbsolutePath());
            } catch (URISyntaxException | RuntimeException e) {
                // fall through to the class path
            }
        }
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.isEmpty()) return Optional.empty();
        return Optional.of(Path.of(classPath.split(File.pathSeparator)[0]).toAbsolutePath());
    }
}
