package heromgr.bundle;

import heromgr.fs.ProgramJar;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An unpacked heromgr bundle (bin/heromgr-bundle makes one): a folder holding bin/heromgr, heromgr.jar, lib/,
 * runtime/ (its own Java) and VERSION, which names the version it installs as.
 */
public record Bundle(Path root, String version) {
    /** A version is a folder name under $HERO_HOME/lib/heromgr: no separators, no "..". */
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,63}");

    /** The bundle at root, when root is one (every part present, a version that can name a folder). */
    public static Optional<Bundle> at(Path root) {
        Path versionFile = root.resolve("VERSION");
        if (!Files.isRegularFile(versionFile) || !Files.isRegularFile(root.resolve("heromgr.jar"))
                || !Files.isExecutable(root.resolve("bin/heromgr")) || !Files.isExecutable(root.resolve("runtime/bin/java"))) {
            return Optional.empty();
        }
        try {
            String version = Files.readString(versionFile).strip();
            return validVersion(version) ? Optional.of(new Bundle(root.toAbsolutePath().normalize(), version)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static boolean validVersion(String version) {
        return VERSION.matcher(version).matches() && !version.contains("..");
    }

    /**
     * The bundle this JVM runs from: the folder of its jar when that is a bundle; from a source checkout, the bundle
     * `mvn package` made beside the jar (target/bundle/heromgr-<version>/).
     */
    public static Optional<Bundle> ofThisProgram() {
        Path jarDir = ProgramJar.location().map(Path::getParent).orElse(null);
        if (jarDir == null) return Optional.empty();
        Optional<Bundle> own = at(jarDir);
        if (own.isPresent() || !Files.isDirectory(jarDir.resolve("bundle"))) return own;
        try (DirectoryStream<Path> built = Files.newDirectoryStream(jarDir.resolve("bundle"), "heromgr-*")) {
            for (Path candidate : built) {
                Optional<Bundle> b = at(candidate);
                if (b.isPresent()) return b;
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The launcher inside, which $HERO_HOME/bin/heromgr points at. */
    public Path launcher() {
        return root.resolve("bin/heromgr");
    }
}
