package heromgr.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A folder with everything in it. */
public final class DirectoryTree {
    private DirectoryTree() {
    }

    /**
     * Removes dir and everything under it, deepest first (a link is removed, never followed); nothing happens when it
     * does not exist, and a file that vanishes meanwhile is no error.
     */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
