package heromgr.http;

import java.io.InputStream;
import java.io.OutputStream;

/** An open connection of {@link UnixHttpClient}: a SocketChannel's, or a native Unix socket's for the CLI. */
sealed interface StreamConnection extends AutoCloseable permits ChannelConnection, NativeUnixSocket {
    InputStream in();

    OutputStream out();

    /** Fails a read blocked on the connection, from another thread: the timeout's watchdog. */
    void abort();

    /** Closes it; no exchange may be under way. Quiet: a connection that broke has nothing left to say. */
    @Override
    void close();
}
