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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Waits, in epoll, on the pidfds of every watched process, and runs each exit's callback the moment the kernel reports
 * it. One thread at a time waits (the leader); one waiting thread per process (what {@code Process.waitFor} and a poll
 * per pidfd cost) would be a thread stack per service.
 *
 * <p>Leader and followers: the thread that an exit wakes hands the waiting to another thread of the pool first, and then
 * runs that exit's callback itself. A restart so spawns on the very thread the kernel woke, with no hand-off to a
 * second one (a thread woken on a vCPU that had halted: ~0.1 ms of a restart here), while the new leader goes on
 * noticing every other exit: a callback may block (a spawn waits for the child's exec, which a hung file system can
 * hold for good) without holding up anyone else's.
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
    /** The name of the thread that waits; one that handles an exit is named after the exit. */
    private static final String LEADER = "heromgr-exits";
    /** The pool's threads when they do neither. */
    private static final String IDLE = "heromgr-exit";
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
     * The leaders and the exits' handlers. Platform threads, not virtual ones: a restart spawns through a native call,
     * which pins a virtual thread's carrier, and with 20 services crash-looping without backoff the spawns held
     * both carriers and starved every request (status p99 of seconds); epoll_wait would pin one for good. Threads are
     * made on demand and retire when idle.
     */
    private static final ExecutorService HANDLERS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name(IDLE).factory());

    /** Runs work that may spawn (a delayed restart) on a thread of the pool. */
    public static void handle(Runnable work) {
        HANDLERS.execute(work);
    }

    /**
     * A thread's epoll_wait buffers, made once per thread of the pool (freed with it): a new leader's way to its wait is
     * short, since it may take the vCPU from the thread whose restart it relieved.
     */
    private record WaitBuffers(MemorySegment event, MemorySegment state) {
    }

    private static final ThreadLocal<WaitBuffers> WAIT_BUFFERS = ThreadLocal.withInitial(() -> {
        Arena arena = Arena.ofAuto();
        return new WaitBuffers(arena.allocate(EVENT_SIZE, 8), arena.allocate(Libc.CAPTURE));
    });

    private volatile int epfd = -1;

    private ExitWatcher() {
    }

    /**
     * Runs onExit once the process behind pidfd has exited (at once if it already has), on the thread that noticed the
     * exit, named threadName meanwhile (thread dumps show whose exit it is); it may block.
     */
    public Registration watch(int pidfd, String threadName, Runnable onExit) {
        int ep = epoll();
        long key = (keys.incrementAndGet() << 32) | (pidfd & 0xffffffffL);
        callbacks.put(key, () -> {
            Thread.currentThread().setName(threadName);
            onExit.run();
        });
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
                HANDLERS.execute(this::lead);
            }
            return epfd;
        }
    }

    /**
     * Waits for the next exit; once one comes, makes another thread the leader and handles the exit here. Returns when
     * this thread has handled one (it goes back to the pool, a follower again).
     */
    private void lead() {
        Thread.currentThread().setName(LEADER);
        try {
            WaitBuffers buffers = WAIT_BUFFERS.get();
            MemorySegment event = buffers.event(), state = buffers.state();
            while (true) {
                // one event per wake: each exit is the thread's that took it, the next one the next leader's
                int n = (int) WAIT.invokeExact(state, epfd, event, 1, -1);
                if (n < 0) {
                    int errno = (int) Libc.ERRNO.get(state, 0L);
                    if (errno == EINTR) continue;
                    log.error("epoll_wait failed with errno {}: exits are no longer noticed", errno);
                    return;
                }
                Runnable onExit = n == 1 ? callbacks.remove(event.get(DATA, DATA_OFFSET)) : null;
                if (onExit == null) continue; // cancelled after the event was fetched
                boolean relieved = handOver();
                run(onExit);
                if (relieved) {
                    Thread.currentThread().setName(IDLE); // an idle thread of the pool is not named after an old exit
                    return;
                }
                // no thread took over the waiting: this one goes on leading after the exit, as a single watcher would
                Thread.currentThread().setName(LEADER);
            }
        } catch (Throwable t) {
            log.error("exit watcher died: exits are no longer noticed", t);
        }
    }

    /** Another thread of the pool leads from now on; false when none could be had (no memory for one more thread). */
    private boolean handOver() {
        try {
            HANDLERS.execute(this::lead);
            return true;
        } catch (RejectedExecutionException | OutOfMemoryError e) {
            log.error("no thread to wait for exits meanwhile ({}): the next exits wait until this one's handling ends", e.toString());
            return false;
        }
    }

    private static void run(Runnable onExit) {
        try {
            onExit.run();
        } catch (RuntimeException | Error e) {
            // one exit's failure must not end the watching of every other exit
            log.error("an exit's handling failed", e);
        }
    }
}
