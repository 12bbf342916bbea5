package heromgr.proc.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * renameat2(2) with RENAME_EXCHANGE (Linux ≥ 3.15; ext4, xfs, btrfs, tmpfs): two names swap their files in one
 * atomic step, so a file rewritten again and again through a spare beside it neither frees nor makes an inode. On
 * ext4 without a journal (this project's CI machine) every new inode is found by walking past the inodes freed in
 * the last ~30 s, one buffer look-up each: a rename over the old file per write fed that walk.
 */
public final class RenameExchange {
    private static final int AT_FDCWD = -100;
    private static final int RENAME_EXCHANGE = 2;
    private static final int EINVAL = 22;
    private static final int ENOSYS = 38;
    private static final int EXDEV = 18;
    private static final MethodHandle RENAMEAT2 = Libc.downcall("renameat2",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));

    private RenameExchange() {
    }

    /**
     * Swaps the files named a and b (both must exist). False where the file system or kernel cannot (the caller
     * renames instead); any other failure throws, naming both.
     */
    public static boolean swap(Path a, Path b) throws IOException {
        int errno;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            int rc = (int) RENAMEAT2.invokeExact(state, AT_FDCWD, arena.allocateFrom(a.toString()), AT_FDCWD,
                    arena.allocateFrom(b.toString()), RENAME_EXCHANGE);
            if (rc == 0) return true;
            errno = (int) Libc.ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("renameat2 downcall failed", t);
        }
        if (errno == EINVAL || errno == ENOSYS || errno == EXDEV) return false;
        throw new FileSystemException(a.toString(), b.toString(), "cannot exchange: " + PosixSpawn.describe(errno));
    }
}
