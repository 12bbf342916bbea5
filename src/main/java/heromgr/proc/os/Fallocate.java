package heromgr.proc.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * fallocate(2) with FALLOC_FL_COLLAPSE_RANGE through the FFM API: removes a range from the front of a file in
 * place, so a writer appending with O_APPEND keeps appending at the (new) end and no byte it writes is lost.
 * The kernel serializes the collapse with appends under the inode lock. ext4 and XFS support it; tmpfs and
 * btrfs answer EOPNOTSUPP, and a range not made of whole filesystem blocks is EINVAL.
 */
public final class Fallocate {
    private static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;
    private static final int O_WRONLY = 0x1;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINVAL = 22;
    private static final int EOPNOTSUPP = 95;

    private static final MethodHandle OPEN = Libc.downcall("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle FALLOCATE = Libc.downcall("fallocate",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));


    private Fallocate() {
    }

    /**
     * Cuts the first len bytes of file. False when the filesystem cannot (EOPNOTSUPP, or EINVAL: the range is not
     * whole blocks of it, or reaches the end of the file), so the caller falls back; other failures throw.
     */
    public static boolean collapseFront(Path file, long len) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(file.toString()), O_WRONLY | O_CLOEXEC);
            if (fd < 0) throw new IOException("cannot open " + file + " to collapse it: errno " + (int) Libc.ERRNO.get(state, 0L));
            try {
                int rc = (int) FALLOCATE.invokeExact(state, fd, FALLOC_FL_COLLAPSE_RANGE, 0L, len);
                if (rc == 0) return true;
                int errno = (int) Libc.ERRNO.get(state, 0L);
                if (errno == EOPNOTSUPP || errno == EINVAL) return false;
                throw new IOException("fallocate(COLLAPSE_RANGE, 0, " + len + ") on " + file + " failed: errno " + errno);
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("fallocate downcall failed", t);
        }
    }
}
