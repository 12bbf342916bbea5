package heromgr.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What GET /health says of the daemon: who it is (pid, start time, home: `daemon status` and `daemon stop` find it
 * by them), where it listens (the sockets, and the loopback URL once that listener is up: `heromgr ui` reads it),
 * the systemd unit it runs under, if any (`self upgrade` restarts it through systemctl then), and what it holds now
 * (memory, threads: the Admin UI's Daemon page).
 */
final class DaemonFacts {
    private static final Path STATUS = Path.of("/proc/self/status");

    private final Map<String, Object> fixed = new LinkedHashMap<>();
    private volatile String httpUrl;
    private volatile String tokenFile;

    DaemonFacts(String version, String home, Path socket, Path adminSocket, SystemdService systemd) {
        ProcessHandle self = ProcessHandle.current();
        fixed.put("service", "heromgr");
        fixed.put("status", "ok");
        fixed.put("version", version);
        fixed.put("pid", self.pid());
        fixed.put("started_at", self.info().startInstant().map(Object::toString).orElse(""));
        fixed.put("home", home);
        fixed.put("socket", socket.toString());
        fixed.put("admin_socket", adminSocket.toString());
        if (systemd != null) {
            fixed.put("systemd_unit", systemd.unit());
            fixed.put("systemd_scope", systemd.scope());
        }
    }

    /** The loopback listener is up (url null: there is none). */
    void listeningOn(String url, Path tokenFile) {
        this.tokenFile = tokenFile.toString();
        this.httpUrl = url;
    }

    Map<String, Object> health() {
        Map<String, Object> out = new LinkedHashMap<>(fixed);
        if (httpUrl != null) {
            out.put("http", httpUrl);
            out.put("http_token_file", tokenFile);
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("heap_used_bytes", heap.getUsed());
        memory.put("heap_committed_bytes", heap.getCommitted());
        memory.put("resident_bytes", residentBytes());
        out.put("memory", memory);
        out.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        return out;
    }

    /** VmRSS of /proc/self/status, -1 where there is none. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
