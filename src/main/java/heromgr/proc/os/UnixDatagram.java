package heromgr.proc.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * One datagram to a Unix-domain datagram socket: what systemd's NOTIFY_SOCKET protocol needs. The JDK's Unix-domain
 * channels are stream-only (DatagramChannel.open(UNIX) throws "Protocol family not supported") and take "@name" for a
 * file name, so socket(2)/sendto(2) are called through the FFM API. An address starting with '@' is in the abstract
 * namespace (the '@' becomes the leading NUL byte), as systemd uses it.
 */
public final class UnixDatagram {
    private static final short AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(sun_path) in struct sockaddr_un. */
    private static final int SUN_PATH = 108;
    private static final int SUN_PATH_OFFSET = 2;

    private static final MethodHandle SOCKET = Libc.downcall("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle SENDTO = Libc.downcall("sendto",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));

    private UnixDatagram() {
    }

    /**
     * A struct sockaddr_un for address, exactly as long as the address length to pass with it: a path NUL-terminated, an
     * abstract name ("@name") with a leading NUL instead of the '@' and no terminator (the length says where it ends).
     */
    public static MemorySegment sockaddr(Arena arena, String address) throws IOException {
        byte[] name = address.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = address.startsWith("@");
        if (name.length == 0 || name.length >= SUN_PATH || !(abstractName || address.startsWith("/"))) {
            throw new IOException("not a Unix socket address (an absolute path or @name, under " + SUN_PATH + " bytes): " + address);
        }
        MemorySegment addr = arena.allocate(SUN_PATH_OFFSET + name.length + (abstractName ? 0 : 1), Short.BYTES);
        addr.set(ValueLayout.JAVA_SHORT, 0, AF_UNIX);
        MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, name.length);
        if (abstractName) addr.set(ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, (byte) 0);
        return addr;
    }

    private static String reason(int errno) {
        return switch (errno) {
            case 2 -> "no such socket (ENOENT)";
            case 13 -> "permission denied (EACCES)";
            case 111 -> "nobody receives on it (ECONNREFUSED)";
            default -> "errno " + errno;
        };
    }

    /** Sends message as one datagram to address (a socket file's path, or "@name"). */
    public static void send(String address, String message) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = sockaddr(arena, address);
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            int fd = (int) SOCKET.invokeExact(state, (int) AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed: errno " + (int) Libc.ERRNO.get(state, 0L));
            try {
                long sent = (long) SENDTO.invokeExact(state, fd, buf, (long) bytes.length, MSG_NOSIGNAL, addr, (int) addr.byteSize());
                if (sent < 0) throw new IOException("cannot send to " + address + ": " + reason((int) Libc.ERRNO.get(state, 0L)));
            } finally {
                PidFd.close(fd);
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("sendto failed", t);
        }
    }
}
