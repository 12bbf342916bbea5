package heromgr.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every entry under a folder (links not followed) with its kind, size and modification time, leaving out the
 * subtrees a test names as allowed to change: compare two to see what was written.
 */
record FileSnapshot(Map<Path, String> entries) {
    static FileSnapshot of(Path root, Predicate<Path> allowedToChange) {
        var entries = new TreeMap<Path, String>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(p -> !allowedToChange.test(p)).forEach(p -> entries.put(p, describe(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FileSnapshot(entries);
    }

    private static String describe(Path p) {
        try {
            var a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String kind = a.isSymbolicLink() ? "link" : a.isDirectory() ? "dir" : a.isRegularFile() ? "file" : "other";
            return kind + " " + a.size() + " bytes, modified " + a.lastModifiedTime();
        } catch (IOException gone) {
            return "gone while looked at";
        }
    }

    /** The entries added, removed or changed since {@code before}, one line each. */
    Set<String> changesSince(FileSnapshot before) {
        Set<Path> paths = new TreeSet<>(before.entries.keySet());
        paths.addAll(entries.keySet());
        return paths.stream().filter(p -> !String.valueOf(before.entries.get(p)).equals(String.valueOf(entries.get(p))))
                .map(p -> p + ": " + before.entries.get(p) + " -> " + entries.get(p)).collect(Collectors.toCollection(TreeSet::new));
    }
}
