package heromgr.it;

import heromgr.testkit.DaemonProcess;
import heromgr.testkit.ProcFs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The memory of a daemon running as a JVM of its own: its resident set (VmRSS), sampled in the background while a
 * test works it, and its heap in use right after a full collection (the live set: what a leak makes grow, held by
 * {@link HeapBound}), asked of the daemon's JVM with `jcmd GC.run` and read from its /metrics.
 */
final class DaemonMemory implements AutoCloseable {
    private static final long MIB = 1024 * 1024;
    private final DaemonProcess daemon;
    private final List<Long> rssSamples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    DaemonMemory(DaemonProcess daemon, Duration every) {
        this.daemon = daemon;
        sampler.scheduleAtFixedRate(() -> rssSamples.add(rssBytes()), 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    long rssBytes() {
        try {
            String status = ProcFs.read(Path.of("/proc", String.valueOf(daemon.process.pid()), "status"));
            String line = status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
            return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        } catch (IOException e) {
            return -1;  // the daemon is gone: the test's own checks say so
        }
    }

    /** A daemon's heap in use after a full collection it was told to make (what {@link HeapBound} holds). */
    static long liveHeapBytes(DaemonProcess daemon) throws IOException {
        Path jcmd = Path.of(DaemonProcess.javaBinary()).resolveSibling("jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), String.valueOf(daemon.process.pid()), "GC.run")
                .redirectErrorStream(true).start();
        String said = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) throw new IOException("jcmd GC.run: " + said);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while jcmd GC.run ran", e);
        } finally {
            gc.destroyForcibly();
        }
        var metrics = PrometheusText.parse(daemon.client().http("GET", "/metrics", null).text());
        return (long) metrics.value("jvm_memory_used_bytes", Map.of("area", "heap"));
    }

    List<Long> rssSamples() {
        return List.copyOf(rssSamples);
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", (double) bytes / MIB);
    }

    @Override
    public void close() {
        sampler.close();
    }
}
