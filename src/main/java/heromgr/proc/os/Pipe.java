package heromgr.proc.os;

import heromgr.proc.SupervisorException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/** pipe2(2) and read(2) through the FFM API: how a spawned helper reports back to the daemon on its fd 3. */
public final class Pipe {
    private static final int O_CLOEXEC = 02000000;
    private static final int EINTR = 4;
    private static final MethodHandle PIPE2 = Libc.downcall("pipe2",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = Libc.downcall("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));

    private Pipe() {
    }

    /** A close-on-exec pipe: its read end, then its write end. Both are closed with {@link PidFd#close}. */
    public static int[] open() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            if ((int) PIPE2.invokeExact(fds, O_CLOEXEC) != 0) throw new SupervisorException("cannot create a pipe for heromgr-spawn");
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        } catch (SupervisorException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("pipe2 failed", t);
        }
    }

    /** Until EOF, or 256 characters: the helper writes one short line and exits (the service closed its copy before its exec). */
    public static String readAll(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            var out = new StringBuilder();
            while (out.length() < 256) {
                long n = (long) READ.invokeExact(state, fd, buf, 64L);
                if (n < 0 && (int) Libc.ERRNO.get(state, 0L) == EINTR) continue;
                if (n <= 0) break;
                out.append(new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            }
            return out.toString();
        } catch (Throwable t) {
            throw new IllegalStateException("read failed", t);
        }
    }

    /** A pipe opened, read to its end and closed: links these native calls ahead of their first real use. */
    public static void rehearse() {
        int[] pipe = open();
        PidFd.close(pipe[1]);
        readAll(pipe[0]);
        PidFd.close(pipe[0]);
    }
}
