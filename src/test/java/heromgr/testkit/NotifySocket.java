package heromgr.testkit;

import heromgr.proc.os.UnixDatagram;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The receiving end of systemd's notify protocol, as systemd holds it: a Unix datagram socket bound to a file path or
 * to an abstract name ("@name"). The JDK has no Unix datagram sockets, so this calls socket/bind/recv through the FFM API.
 */
public final class NotifySocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final Duration RECEIVE_SLICE = Duration.ofMillis(100);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = downcall("bind",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = downcall("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** What NOTIFY_SOCKET is set to: the path, or "@name". */
    public final String address;
    private final int fd;

    private NotifySocket(String address, int fd) {
        this.address = address;
        this.fd = fd;
    }

    /** Bound to address: an absolute path (the file is removed with the test's dir) or "@name" in the abstract namespace. */
    public static NotifySocket bind(String address) throws Throwable {
        int fd = (int) SOCKET.invokeExact(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new IllegalStateException("socket failed");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = UnixDatagram.sockaddr(arena, address);
            if ((int) BIND.invokeExact(fd, addr, (int) addr.byteSize()) != 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new IllegalStateException("cannot bind " + address);
            }
            MemorySegment timeout = arena.allocate(16);
            timeout.set(ValueLayout.JAVA_LONG, 0, 0L);
            timeout.set(ValueLayout.JAVA_LONG, 8, RECEIVE_SLICE.toNanos() / 1000);
            if ((int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16) != 0) throw new IllegalStateException("setsockopt failed");
        }
        return new NotifySocket(address, fd);
    }

    /** The next datagram, or empty when none came within limit. */
    public Optional<String> receive(Duration limit) throws Throwable {
        Instant deadline = Instant.now().plus(limit);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            while (Instant.now().isBefore(deadline)) {
                long n = (long) RECV.invokeExact(fd, buf, 4096L, 0);
                if (n >= 0) return Optional.of(new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** Datagrams until one contains line (as a whole line), which is returned; an AssertionError when none does within limit. */
    public String awaitLine(String line, Duration limit) throws Throwable {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> message = receive(Duration.between(Instant.now(), deadline));
            if (message.isPresent() && message.get().lines().anyMatch(line::equals)) return message.get();
        }
        throw new AssertionError("no " + line + " on " + address + " within " + limit.toSeconds() + " s");
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close failed", t);
        }
    }

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }
}
