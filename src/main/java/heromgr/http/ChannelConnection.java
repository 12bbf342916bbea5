package heromgr.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;

/** A connected SocketChannel (Unix or TCP) as a {@link StreamConnection}. */
record ChannelConnection(SocketChannel channel, InputStream in, OutputStream out) implements StreamConnection {
    ChannelConnection(SocketChannel channel) {
        this(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel));
    }

    /** A blocking close, the one that wakes a read in progress (which holds the lock configureBlocking waits for). */
    @Override
    public void abort() {
        closeQuietly();
    }

    @Override
    public void close() {
        // Non-blocking first, as no exchange is under way: a blocking channel's close asks sun.nio.ch.Net whether
        // to shut the write side down first (Linux: never), and Net's first use sets up InetAddress and the
        // socket options, ~3 ms of a ~100 ms CLI call for nothing.
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            // closed already (the watchdog, or the server's close seen): closeQuietly is then a no-op
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all we want
        }
    }
}
