package heromgr.proc.log;

import heromgr.fs.LogFiles;
import heromgr.fs.LogIndex;
import heromgr.fs.LogIndex.Mark;
import heromgr.proc.os.Inotify;
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
 *
 * <p>A file that did not grow for {@link #QUIET_TICKS} ticks goes quiet: a one-shot inotify watch stands in for its
 * stat until it is written to again, and the first tick after that samples it as before, so a line's time is late by
 * at most a tick either way. An idle fleet of 1000 costs ~200 stats a second then, where it made 4000: every
 * {@link #RECHECK_TICKS} ticks a quiet file is sampled anyway (each at its own tick, so the rechecks spread), should a
 * change have gone unnoticed; without inotify (or past the per-user limit of watches) a file is sampled every tick.
 */
final class TimeIndexer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimeIndexer.class);
    static final int QUIET_TICKS = 4;
    static final int RECHECK_TICKS = 20;

    /** What the index of one file holds: the offset of its last mark and how many marks it has. */
    private static final class State {
        long last;
        int marks;
        /** Ticks in a row the file did not grow. */
        int unchanged;
        /** Watched instead of sampled until it changes (see the class comment). */
        boolean quiet;
    }

    private final Map<Path, State> files = new HashMap<>();
    /**
     * Opened when the first file goes quiet, not with the indexer: its native calls' linking was ~0.1 s of CPU on the
     * daemon's way to its socket. null before that, and when none is to be had (the per-user limit of instances):
     * every file is sampled every tick then.
     */
    private Inotify inotify;
    private boolean inotifyTried;
    private long ticks;

    /**
     * Samples the running files and those that ran at the last tick; busy ones (being rotated) wait for the next.
     * Returns the sizes it saw: the rotator decides on them, so each file costs one stat per tick, not two.
     */
    synchronized Map<Path, Long> sample(Set<Path> running, Set<Path> busy) {
        var due = new ArrayList<Path>(running);
        for (Path known : files.keySet()) if (!running.contains(known)) due.add(known);
        Set<Path> woken = inotify != null ? inotify.changed() : Set.of();
        ticks++;
        var sizes = new HashMap<Path, Long>();
        for (Path file : due) {
            if (busy.contains(file)) continue;
            State known = files.get(file);
            boolean watched = known != null && known.quiet && !woken.contains(file);
            // a quiet file of a running process is left alone until written to (the rechecks spread over the ticks);
            // a stopped one gets its last sample
            if (watched && running.contains(file) && Math.floorMod(file.hashCode() + ticks, RECHECK_TICKS) != 0) continue;
            boolean grew = sample(file, sizes);
            if (!grew && !running.contains(file)) forget(file);
            else if (running.contains(file)) settle(file, grew, watched, sizes.get(file));
        }
        return sizes;
    }

    /**
     * Counts the ticks a running file stayed the same, and lets it go quiet after QUIET_TICKS of them.
     * watched: it was quiet and its watch has not fired, so a recheck that finds it the same leaves it quiet.
     */
    private void settle(Path file, boolean grew, boolean watched, Long size) {
        State s = files.get(file);
        if (s == null || size == null || (watched && !grew)) return;
        s.quiet = false;
        s.unchanged = grew ? 0 : s.unchanged + 1;
        if (s.unchanged < QUIET_TICKS || !watcherOpen() || !inotify.watch(file)) return;
        // a write between the stat above and the watch would go unseen: the size once more, now that it is watched
        s.quiet = sizeOf(file) == size;
    }

    /** Whether there is an inotify instance, opening it the first time it is asked for. */
    private boolean watcherOpen() {
        if (!inotifyTried) {
            inotifyTried = true;
            try {
                inotify = Inotify.open().orElse(null);
            } catch (IllegalStateException e) {
                log.warn("no inotify ({}): quiet logs are sampled every tick", e.toString());
            }
        }
        return inotify != null;
    }

    /** Whether the inotify instance was opened (it is, once a file went quiet). */
    synchronized boolean watching() {
        return inotify != null;
    }

    private void forget(Path file) {
        files.remove(file);
        if (inotify != null) inotify.unwatch(file);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public synchronized void close() {
        inotifyTried = true; // none opened after the close
        if (inotify != null) inotify.close();
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
