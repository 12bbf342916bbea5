package heromgr.proc.log;

import heromgr.fs.LogFiles;
import heromgr.fs.LogIndex;
import heromgr.fs.LogIndex.Mark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the {@link LogIndex} of the log files the rotator watches: at each of its ticks one stat per file, and a
 * mark (size, modification time) appended when the file grew. A file whose process stopped is sampled once more
 * (its last words), then forgotten until it runs again. Rotation moves the marks with the bytes ({@link #cut}).
 * Called from the rotator's tick, and for a file being rotated only from the rotation (never both at once).
 */
final class TimeIndexer {
    private static final Logger log = LoggerFactory.getLogger(TimeIndexer.class);

    /** What the index of one file holds: the offset of its last mark and how many marks it has. */
    private static final class State {
        long last;
        int marks;
    }

    private final Map<Path, State> files = new HashMap<>();

    /**
     * Samples the running files and those that ran at the last tick; busy ones (being rotated) wait for the next.
     * Returns the sizes it saw: the rotator decides on them, so each file costs one stat per tick, not two.
     */
    synchronized Map<Path, Long> sample(Set<Path> running, Set<Path> busy) {
        var due = new ArrayList<Path>(running);
        for (Path known : files.keySet()) if (!running.contains(known)) due.add(known);
        var sizes = new HashMap<Path, Long>();
        for (Path file : due) {
            if (busy.contains(file)) continue;
            boolean grew = sample(file, sizes);
            if (!grew && !running.contains(file)) files.remove(file);
        }
        return sizes;
    }

    /** Whether the file grew since the last mark (a mark was added); its size goes to sizes when it could be read. */
    private boolean sample(Path file, Map<Path, Long> sizes) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            log.debug("cannot stat {}: {}", file, e.toString());
            return false;
        }
        sizes.put(file, attrs.size());
        try {
            State s = files.computeIfAbsent(file, TimeIndexer::load);
            if (attrs.size() < s.last) {
                // truncated or replaced by someone else: its marks describe bytes that are gone
                LogIndex.write(file, List.of());
                s.last = 0;
                s.marks = 0;
            }
            if (attrs.size() == s.last) return false;
            LogIndex.append(file, new Mark(attrs.size(), attrs.lastModifiedTime().toMillis()));
            s.last = attrs.size();
            if (++s.marks > LogIndex.MAX_MARKS) {
                List<Mark> thinned = LogIndex.thinned(LogIndex.read(file));
                LogIndex.write(file, thinned);
                s.marks = thinned.size();
            }
            return true;
        } catch (IOException e) {
            log.warn("cannot keep the time index of {}: {}", file, e.toString());
            return false;
        }
    }

    private static State load(Path file) {
        List<Mark> marks = LogIndex.read(file);
        var s = new State();
        s.last = marks.isEmpty() ? 0 : marks.getLast().offset();
        s.marks = marks.size();
        return s;
    }

    /**
     * A rotation moved the file's first cut bytes to its new {@code .1} (at mtime, the file's modification time
     * before the cut): the marks up to there go with them, the rest shift down by cut.
     */
    synchronized void cut(Path file, long cut, long mtime) throws IOException {
        List<Mark> marks = LogIndex.read(file);
        var moved = new ArrayList<Mark>();
        var kept = new ArrayList<Mark>();
        for (Mark m : marks) {
            if (m.offset() < cut) moved.add(m);
            else if (m.offset() > cut) kept.add(new Mark(m.offset() - cut, m.millis()));
        }
        moved.add(new Mark(cut, LogIndex.timeAt(marks, cut, mtime)));
        LogIndex.write(LogFiles.rotated(file, 1), moved);
        LogIndex.write(file, kept);
        State s = files.computeIfAbsent(file, TimeIndexer::load);
        s.last = kept.isEmpty() ? 0 : kept.getLast().offset();
        s.marks = kept.size();
    }

    /** Moves the index of a rotated file along with it ({@code .n} → {@code .n+1}), or deletes it with it (to null). */
    static void follow(Path from, Path to) throws IOException {
        Path index = LogFiles.indexOf(from);
        if (to == null) Files.deleteIfExists(index);
        else if (Files.exists(index)) Files.move(index, LogFiles.indexOf(to), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
