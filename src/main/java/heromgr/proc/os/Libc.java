package heromgr.proc.os;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library through the FFM API, linked in one place: the supervisor's system calls (spawn, signals, pidfds,
 * epoll, fallocate, account lookups) each declare their function and call it through a handle from here.
 */
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    /** Where a downcall linked with {@code captureCallState("errno")} leaves errno; allocate one per call. */
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Libc() {
    }

    /** Restricted by design; the daemon runs with --enable-native-access (surefire and the jar manifest grant it). */
    @SuppressWarnings("restricted")
    static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment fn = LINKER.defaultLookup().find(name).orElseThrow(() -> new IllegalStateException("libc " + name + " not found"));
        return LINKER.downcallHandle(fn, fd, options);
    }
}
