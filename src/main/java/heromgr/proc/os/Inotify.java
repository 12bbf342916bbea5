package heromgr.proc.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * inotify(7) through the FFM API, one-shot: which of the files asked about were written to (or unlinked, renamed)
 * since. Each watch ends at its file's first change, so a busy file costs one event, not one per write. Not thread
 * safe: one owner (the log rotator's time index) calls it.
 */
public final class Inotify implements AutoCloseable {
    private static final int IN_NONBLOCK = 04000;
    private static final int IN_CLOEXEC = 02000000;
    private static final int IN_MODIFY = 0x2;
    private static final int IN_ATTRIB = 0x4;
    private static final int IN_DELETE_SELF = 0x400;
    private static final int IN_MOVE_SELF = 0x800;
    private static final int IN_Q_OVERFLOW = 0x4000;
    private static final int IN_ONESHOT = 0x80000000;
    private static final int MASK = IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONESHOT;
    /** struct inotify_event: wd, mask, cookie, len, then len bytes of name (none for a watch on a file). */
    private static final int EVENT_HEADER = 16;
    private static final int BUFFER = 16 * 1024;

    private static final MethodHandle INIT = Libc.downcall("inotify_init1", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle ADD_WATCH = Libc.downcall("inotify_add_watch",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RM_WATCH = Libc.downcall("inotify_rm_watch",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = Libc.downcall("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER, 8);
    private final Map<Integer, Path> byWatch = new HashMap<>();
    private final Map<Path, Integer> watchOf = new HashMap<>();
    private boolean closed;

    private Inotify(int fd) {
        this.fd = fd;
    }

    /** A non-blocking instance; empty when there is none to be had (the per-user limit of instances). */
    public static Optional<Inotify> open() {
        try {
            int fd = (int) INIT.invokeExact(IN_NONBLOCK | IN_CLOEXEC);
            return fd < 0 ? Optional.empty() : Optional.of(new Inotify(fd));
        } catch (Throwable t) {
            throw new IllegalStateException("inotify_init1 failed", t);
        }
    }

    /** Watches file until its next change; false when it cannot be (gone, or the per-user limit of watches is reached). */
    public boolean watch(Path file) {
        if (closed) return false;
        try (Arena call = Arena.ofConfined()) {
            int wd = (int) ADD_WATCH.invokeExact(fd, call.allocateFrom(file.toString()), MASK);
            if (wd < 0) return false;
            Path before = byWatch.put(wd, file);
            if (before != null && !before.equals(file)) watchOf.remove(before); // a second name of the same file
            watchOf.put(file, wd);
            return true;
        } catch (Throwable t) {
            throw new IllegalStateException("inotify_add_watch failed", t);
        }
    }

    /** No longer watched (nothing happens if it was not). */
    public void unwatch(Path file) {
        Integer wd = watchOf.remove(file);
        if (wd == null || closed) return;
        byWatch.remove(wd);
        try {
            int ignored = (int) RM_WATCH.invokeExact(fd, (int) wd);
        } catch (Throwable t) {
            throw new IllegalStateException("inotify_rm_watch failed", t);
        }
    }

    /** The watched files that changed since the last call; their watches have ended. After an overflow: every one. Closed: none. */
    public Set<Path> changed() {
        var out = new HashSet<Path>();
        if (closed) return out;
        try {
            for (long n; (n = (long) READ.invokeExact(fd, buffer, (long) BUFFER)) > 0; ) {
                for (long at = 0; at + EVENT_HEADER <= n; at += EVENT_HEADER + Integer.toUnsignedLong(buffer.get(ValueLayout.JAVA_INT, at + 12))) {
                    int wd = buffer.get(ValueLayout.JAVA_INT, at);
                    if ((buffer.get(ValueLayout.JAVA_INT, at + 4) & IN_Q_OVERFLOW) != 0) {
                        out.addAll(watchOf.keySet());
                        byWatch.clear();
                        watchOf.clear();
                        continue;
                    }
                    Path file = byWatch.remove(wd);
                    if (file != null) {
                        watchOf.remove(file);
                        out.add(file);
                    }
                }
            }
        } catch (Throwable t) {
            throw new IllegalStateException("reading inotify events failed", t);
        }
        return out;
    }

    /** Once: the fd number may belong to another file after the first close. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        PidFd.close(fd);
        arena.close();
    }
}
