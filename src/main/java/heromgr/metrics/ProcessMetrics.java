package heromgr.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * The daemon itself: resident memory, open files and start time under the names Prometheus' process collectors use,
 * the JVM's heap and non-heap and its platform threads, and its version. All read at scrape time (procfs, the
 * management beans), so an unscraped daemon pays nothing.
 */
final class ProcessMetrics {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path FDS = Path.of("/proc/self/fd");

    private ProcessMetrics() {
    }

    static void register(PrometheusRegistry registry, String version) {
        gauge("process_resident_memory_bytes", "Resident memory of the daemon's process (VmRSS)")
                .callback(cb -> residentBytes().ifPresent(cb::call)).register(registry);
        gauge("process_open_fds", "Open file descriptors of the daemon's process")
                .callback(cb -> cb.call(openFds())).register(registry);
        gauge("process_start_time_seconds", "When the daemon's process started, in seconds since the epoch")
                .callback(cb -> ProcessHandle.current().info().startInstant().ifPresent(t -> cb.call(t.toEpochMilli() / 1000.0)))
                .register(registry);
        memory("jvm_memory_used_bytes", "JVM memory in use by area (heap, nonheap)", MemoryUsage::getUsed).register(registry);
        memory("jvm_memory_committed_bytes", "JVM memory committed by area (heap, nonheap)", MemoryUsage::getCommitted)
                .register(registry);
        gauge("jvm_threads_current", "Live platform threads of the daemon (virtual threads are not counted)")
                .callback(cb -> cb.call(ManagementFactory.getThreadMXBean().getThreadCount())).register(registry);
        Info info = Info.builder().name("heromgr_daemon_info").help("The daemon's version").labelNames("version").register(registry);
        info.setLabelValues(version);
    }

    private static GaugeWithCallback.Builder memory(String name, String help, ToLongFunction<MemoryUsage> value) {
        return gauge(name, help).labelNames("area").callback(cb -> {
            var memory = ManagementFactory.getMemoryMXBean();
            cb.call(value.applyAsLong(memory.getHeapMemoryUsage()), "heap");
            cb.call(value.applyAsLong(memory.getNonHeapMemoryUsage()), "nonheap");
        });
    }

    private static GaugeWithCallback.Builder gauge(String name, String help) {
        return GaugeWithCallback.builder().name(name).help(help);
    }

    private static OptionalDouble residentBytes() {
        try (Stream<String> lines = Files.lines(STATUS)) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> OptionalDouble.of(1024.0 * Long.parseLong(l.replaceAll("\\D", "")))) // "VmRSS:  123 kB"
                    .orElse(OptionalDouble.empty());
        } catch (IOException | NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    private static double openFds() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
