package heromgr.fs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The symbolic links of an archive being unpacked (a release's .tar.gz, heromgr's own bundle). Names and link texts
 * are checked as text, which cannot tell where a link the archive itself made leads: an entry below such a link, or a
 * link whose text climbs after a name, could land outside the folder (a chain of "..", each inside by its text,
 * climbs one folder a link).
 */
public final class ArchiveLinks {
    private ArchiveLinks() {
    }

    /** The first symbolic link among the folders from root down to dir; null when there is none. */
    public static Path linkOnTheWay(Path root, Path dir) {
        Path at = root;
        for (Path step : root.relativize(dir)) {
            if (step.toString().isEmpty()) break;
            at = at.resolve(step);
            if (Files.isSymbolicLink(at)) return at;
        }
        return null;
    }

    /** Whether a link at target with text link stays below root: relative, inside by its text, never climbing after a name. */
    public static boolean staysInside(Path root, Path target, Path link) {
        return !link.isAbsolute() && target.getParent().resolve(link).normalize().startsWith(root) && !climbsAfterAName(link);
    }

    /**
     * Whether a link's text goes up after it went down ("lib/../x"): its text alone cannot tell where it leads, as
     * "lib" may be a link (one made later, too), and ".." climbs from where that leads, not from the text.
     */
    private static boolean climbsAfterAName(Path link) {
        boolean named = false;
        for (Path step : link) {
            if (step.toString().equals("..") && named) return true;
            if (!step.toString().equals("..") && !step.toString().equals(".")) named = true;
        }
        return false;
    }
}
