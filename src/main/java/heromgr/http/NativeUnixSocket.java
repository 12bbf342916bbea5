package heromgr.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A connected Unix stream socket through JNI (src/main/c/heromgr-unixsocket.c), for the CLI's calls. The JDK's
 * SocketChannel initialises sun.nio.ch.UnixDomainSockets, whose static SecureRandom reads java.security and builds
 * the SUN provider: ~20-30 ms of an interpreted `heromgr status NAME`, the longest stretch of it. The library is
 * used only once {@link #loadLibrary} found it (the CLI does, with the path the launcher names); the daemon never
 * loads it and keeps SocketChannel, and so does a CLI without it (built where gcc was missing).
 * <p>
 * {@link #abort} may be called from another thread while a read blocks; {@link #close} only by the thread that uses
 * the socket.
 */
public final class NativeUnixSocket implements StreamConnection {
    /** The library's path: set by bin/heromgr for client calls when the library was built. */
    public static final String LIBRARY_PROPERTY = "heromgr.unixsocket.library";
    private static volatile boolean loaded;

    private final Object lock = new Object();
    /** -1 once closed: the watchdog's abort must never shut down a number the kernel has handed out again. */
    private int fd;
    private final InputStream in = new SocketInput();
    private final OutputStream out = new SocketOutput();

    private NativeUnixSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Loads the library named by {@link #LIBRARY_PROPERTY}, if set and loadable; whether native sockets are now
     * used. A library that does not load (another architecture, a damaged file) leaves SocketChannel in place.
     */
    @SuppressWarnings("restricted")
    public static boolean loadLibrary() {
        String library = System.getProperty(LIBRARY_PROPERTY);
        if (library == null || loaded) return loaded;
        try {
            System.load(library);
            loaded = true;
        } catch (UnsatisfiedLinkError | SecurityException e) {
            // SocketChannel it is
        }
        return loaded;
    }

    static boolean loaded() {
        return loaded;
    }

    /**
     * Connects to the socket at path, or empty when that fails: the caller then connects with a SocketChannel,
     * whose exception for the failure (no such file, refused, denied) is the one the CLI has always reported.
     */
    static Optional<NativeUnixSocket> connect(Path path) {
        int fd = connect0(path.toString().getBytes(StandardCharsets.UTF_8));
        return fd < 0 ? Optional.empty() : Optional.of(new NativeUnixSocket(fd));
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    /** Shuts the socket down: a read blocked on it returns the end of the stream. The descriptor stays until close. */
    @Override
    public void abort() {
        synchronized (lock) {
            if (fd >= 0) shutdown0(fd);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (fd >= 0) close0(fd);
            fd = -1;
        }
    }

    private int openFd() throws IOException {
        synchronized (lock) {
            if (fd < 0) throw new IOException("socket closed");
            return fd;
        }
    }

    private final class SocketInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = readNBytes(1);
            return one.length == 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);   // the C side copies without asking
            if (len == 0) return 0;
            int n = read0(openFd(), b, off, len);
            if (n < 0) throw new IOException(errorText0(-n));
            return n == 0 ? -1 : n;
        }
    }

    private final class SocketOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            for (int done = 0; done < len; ) {
                int n = write0(openFd(), b, off + done, len - done);
                if (n < 0) throw new IOException(errorText0(-n));
                done += n;
            }
        }
    }

    /** A connected socket's descriptor, or -errno. */
    private static native int connect0(byte[] path);

    /** Bytes written (at most 8 KiB per call), or -errno. */
    private static native int write0(int fd, byte[] b, int off, int len);

    /** Bytes read (at most 8 KiB per call; 0 at the end), or -errno. */
    private static native int read0(int fd, byte[] b, int off, int len);

    private static native int shutdown0(int fd);

    private static native int close0(int fd);

    private static native String errorText0(int errno);
}
