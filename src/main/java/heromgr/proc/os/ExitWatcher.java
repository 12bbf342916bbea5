package heromgr.proc.os;

import heromgr.proc.SupervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread that waits, in epoll, on the pidfds of every watched process, and runs each exit's callback the moment
 * the kernel reports it. A callback runs on this thread and must not block (every other exit waits behind it): what
 * may block goes to a handler thread through {@link #handle}. One waiting thread per process (what
 * {@code Process.waitFor} and a poll per pidfd cost) is a thread stack per service; this is one for the daemon.
 *
 * <p>Each registration carries a key of its own in the epoll data, never the bare fd: an event fetched for a fd
 * that was unwatched, closed and reused meanwhile finds no callback under its old key.
 */
public final class ExitWatcher {
    private static final Logger log = LoggerFactory.getLogger(ExitWatcher.class);
    private static final int EPOLL_CLOEXEC = 02000000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 1;
    /** Reported once, then disabled: a pidfd stays readable after its exit and would otherwise be reported forever. */
    private static final int EPOLLONESHOT = 1 << 30;
    private static final int EINTR = 4;
    private static final int MAX_EVENTS = 64;
    /** struct epoll_event is packed on x86_64 (12 bytes: events, then data at 4); naturally aligned elsewhere (16, data at 8). */
    private static final boolean PACKED = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
    private static final long EVENT_SIZE = PACKED ? 12 : 16;
    private static final long DATA_OFFSET = PACKED ? 4 : 8;
    private static final ValueLayout.OfLong DATA = ValueLayout.JAVA_LONG_UNALIGNED;

    private static final MethodHandle CREATE = Libc.downcall("epoll_create1", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CTL = Libc.downcall("epoll_ctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle WAIT = Libc.downcall("epoll_wait", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));


    /** The daemon's one watcher; its thread starts with the first watched process. */
    public static final ExitWatcher SHARED = new ExitWatcher();

    /** A watched pidfd: cancel, then close the fd. */
    public record Registration(int fd, long key) {
    }

    private final ConcurrentHashMap<Long, Runnable> callbacks = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    /**
     * Exits are handled on platform threads, not virtual ones: a restart spawns through a native call (posix_spawn),
     * which pins a virtual thread's carrier, and with 20 services crash-looping without backoff the spawns held
     * both carriers and starved every request (status p99 of seconds). Threads are made on demand and retire when idle.
     */
    private static final ExecutorService HANDLERS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("heromgr-exit").factory());

    /** Runs work that may spawn (an exit's restart, a delayed restart) on a handler thread. */
    public static void handle(Runnable work) {
        HANDLERS.execute(work);
    }

    /** As {@link #handle(Runnable)}, on a thread named threadName meanwhile (thread dumps show whose exit it is). */
    public static void handle(String threadName, Runnable work) {
        HANDLERS.execute(() -> {
            Thread.currentThread().setName(threadName);
            work.run();
        });
    }

    private volatile int epfd = -1;

    private ExitWatcher() {
    }

    /** Runs onExit on a handler thread once the process behind pidfd has exited (at once if it already has). */
    public Registration watch(int pidfd, String threadName, Runnable onExit) {
        return watchAtOnce(pidfd, () -> handle(threadName, onExit));
    }

    /**
     * Runs onExit on the watcher's own thread once the process behind pidfd has exited (at once if it already has),
     * without a hand-off. It must not block; whatever may, it hands to {@link #handle}.
     */
    public Registration watchAtOnce(int pidfd, Runnable onExit) {
        int ep = epoll();
        long key = (keys.incrementAndGet() << 32) | (pidfd & 0xffffffffL);
        callbacks.put(key, onExit);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EVENT_SIZE, 8);
            event.set(ValueLayout.JAVA_INT, 0, EPOLLIN | EPOLLONESHOT);
            event.set(DATA, DATA_OFFSET, key);
            if ((int) CTL.invokeExact(ep, EPOLL_CTL_ADD, pidfd, event) != 0) {
                callbacks.remove(key);
                throw new SupervisorException("cannot watch pidfd " + pidfd + ": epoll_ctl failed");
            }
        } catch (SupervisorException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("epoll_ctl downcall failed", t);
        }
        return new Registration(pidfd, key);
    }

    /**
     * Stops watching; true when the callback had not been handed out yet (it never will be). The caller then closes
     * the pidfd, which takes it out of the epoll set: no EPOLL_CTL_DEL, so there is no window in which a delete by fd
     * number could hit a newer registration that reused the number.
     */
    public boolean cancel(Registration r) {
        return callbacks.remove(r.key()) != null;
    }

    private int epoll() {
        int ep = epfd;
        if (ep >= 0) return ep;
        synchronized (this) {
            if (epfd < 0) {
                try {
                    int created = (int) CREATE.invokeExact(EPOLL_CLOEXEC);
                    if (created < 0) throw new SupervisorException("epoll_create1 failed");
                    epfd = created;
                } catch (SupervisorException e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException("epoll_create1 downcall failed", t);
                }
                Thread.ofPlatform().daemon().name("heromgr-exits").start(this::loop);
            }
            return epfd;
        }
    }

    /** A platform thread: epoll_wait is a native call that would pin a virtual thread's carrier forever. */
    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(EVENT_SIZE * MAX_EVENTS, 8);
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            while (true) {
                int n = (int) WAIT.invokeExact(state, epfd, events, MAX_EVENTS, -1);
                if (n < 0) {
                    int errno = (int) Libc.ERRNO.get(state, 0L);
                    if (errno == EINTR) continue;
                    log.error("epoll_wait failed with errno {}: exits are no longer noticed", errno);
                    return;
                }
                for (int i = 0; i < n; i++) dispatch(events.get(DATA, i * EVENT_SIZE + DATA_OFFSET));
            }
        } catch (Throwable t) {
            log.error("exit watcher died: exits are no longer noticed", t);
        }
    }

    private void dispatch(long key) {
        Runnable onExit = callbacks.remove(key);
        if (onExit == null) return; // cancelled after the event was fetched
        try {
            onExit.run();
        } catch (RuntimeException | Error e) {
            // one exit's failure must not end the loop that notices every other exit
            log.error("an exit's handling failed", e);
        }
    }
}
