package heromgr.proc.os;

import heromgr.proc.SupervisorException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * pipe2(2), socketpair(2), send(2) and read(2) through the FFM API: how heromgr-spawn hears from the daemon and answers
 * it on its fd 3 (a pipe for the one-shot helper, a stream socket for the spawn server).
 */
public final class Pipe {
    private static final int O_CLOEXEC = 02000000;
    private static final int EINTR = 4;
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = O_CLOEXEC;
    /** A peer gone makes send fail with EPIPE rather than raise SIGPIPE. */
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int LINE_LIMIT = 256;
    private static final MethodHandle PIPE2 = Libc.downcall("pipe2",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = Libc.downcall("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle SOCKETPAIR = Libc.downcall("socketpair", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle SEND = Libc.downcall("send",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));

    private Pipe() {
    }

    /** A close-on-exec pipe: its read end, then its write end. Both are closed with {@link PidFd#close}. */
    public static int[] open() {
        return pair(false);
    }

    /** A close-on-exec pair of connected Unix stream sockets. Both are closed with {@link PidFd#close}. */
    public static int[] socketPair() {
        return pair(true);
    }

    private static int[] pair(boolean sockets) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            int rc = sockets ? (int) SOCKETPAIR.invokeExact(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) : (int) PIPE2.invokeExact(fds, O_CLOEXEC);
            if (rc != 0) throw new SupervisorException("cannot create a " + (sockets ? "socket pair" : "pipe") + " for heromgr-spawn");
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        } catch (SupervisorException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("pipe2 or socketpair failed", t);
        }
    }

    /** The first length bytes, all of them; false when the peer is gone (or any other failure: the caller starts anew). */
    public static boolean send(int socket, byte[] bytes, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(length);
            MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            long sent = 0;
            while (sent < length) {
                long n = (long) SEND.invokeExact(state, socket, buf.asSlice(sent), length - sent, MSG_NOSIGNAL);
                if (n < 0 && (int) Libc.ERRNO.get(state, 0L) == EINTR) continue;
                if (n <= 0) return false;
                sent += n;
            }
            return true;
        } catch (Throwable t) {
            throw new IllegalStateException("send failed", t);
        }
    }

    /**
     * One line without its newline, read up to the newline (the spawn server then waits for the next request: nothing
     * follows it), EOF or 256 characters; empty when the writer is gone without a word.
     */
    public static String readLine(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            var out = new StringBuilder();
            while (out.length() < LINE_LIMIT && (out.isEmpty() || out.charAt(out.length() - 1) != '\n')) {
                long n = (long) READ.invokeExact(state, fd, buf, 64L);
                if (n < 0 && (int) Libc.ERRNO.get(state, 0L) == EINTR) continue;
                if (n <= 0) break;
                out.append(new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            }
            return out.toString().strip();
        } catch (Throwable t) {
            throw new IllegalStateException("read failed", t);
        }
    }

    /** A socket pair opened, a byte sent and read back, both closed: links these native calls ahead of their first real use. */
    public static void rehearse() {
        int[] pair = socketPair();
        send(pair[1], new byte[] {'\n'}, 1);
        readLine(pair[0]);
        PidFd.close(pair[1]);
        PidFd.close(pair[0]);
        int[] pipe = open();
        PidFd.close(pipe[1]);
        PidFd.close(pipe[0]);
    }
}
