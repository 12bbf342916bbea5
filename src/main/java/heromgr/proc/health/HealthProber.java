package heromgr.proc.health;

import heromgr.http.UnixHttpClient;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthResult;
import heromgr.proc.SupervisorException;
import heromgr.proc.os.PosixSignals;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/** Runs health checks against live services. Thread-safe: every probe uses its own connection or process. */
final class HealthProber {
    private static final int MAX_DETAIL = 300;
    /** How an HTTP probe names itself, so a service that logs its requests can leave the probes out. */
    static final String USER_AGENT = "heromgr-health";
    private static final int SIGKILL = 9;

    HealthResult probe(HealthCheck check) {
        long t0 = System.nanoTime();
        return switch (check) {
            case HealthCheck.HttpUnix http -> Files.exists(http.socket())
                    ? probeHttp(check, UnixDomainSocketAddress.of(http.socket()), http.path(), http.expectStatus(), http.bodyContains(), t0)
                    : result(check, false, 0, t0, "socket " + http.socket() + " does not exist");
            case HealthCheck.HttpTcp http -> probeHttp(check, new InetSocketAddress(http.host(), http.port()),
                    http.path(), http.expectStatus(), http.bodyContains(), t0);
            case HealthCheck.Tcp tcp -> probeTcp(tcp, t0);
            case HealthCheck.Exec exec -> probeExec(exec, t0);
        };
    }

    private static HealthResult probeHttp(HealthCheck check, SocketAddress address, String path, int expectStatus,
                                          String bodyContains, long t0) {
        try (var client = new UnixHttpClient(address, check.timeout()).userAgent(USER_AGENT)) {
            UnixHttpClient.Response r = client.get(path);
            String body = r.text();
            String detail = shorten(body);
            if (r.status() != expectStatus) {
                return result(check, false, r.status(), t0, "expected HTTP " + expectStatus + ", got " + r.status() + ": " + detail);
            }
            if (bodyContains != null && !body.contains(bodyContains)) {
                return result(check, false, r.status(), t0, "body does not contain \"" + bodyContains + "\": " + detail);
            }
            return result(check, true, r.status(), t0, detail);
        } catch (IOException e) {
            return result(check, false, 0, t0, message(e));
        }
    }

    private static HealthResult probeTcp(HealthCheck.Tcp check, long t0) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(check.host(), check.port()), (int) Math.max(1, check.timeout().toMillis()));
            return result(check, true, 0, t0, "connected");
        } catch (IOException e) {
            return result(check, false, 0, t0, "cannot connect to " + check.target() + ": " + message(e));
        }
    }

    /** setsid makes the check lead its own group, so a timeout kills whatever it forked too. */
    private static HealthResult probeExec(HealthCheck.Exec check, long t0) {
        var command = new ArrayList<String>(check.argv().size() + 1);
        command.add("/usr/bin/setsid");
        command.addAll(check.argv());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return result(check, false, 0, t0, "cannot run " + check.argv().getFirst() + ": " + message(e));
        }
        var output = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> collect(p.getInputStream(), output));
        try {
            if (!p.waitFor(check.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                return result(check, false, 0, t0, "no exit within " + check.timeout().toMillis() + " ms; killed. Output: " + shorten(output.toString()));
            }
            // the pipe stays open while a grandchild holds it; the exit code is what counts
            reader.join(100);
            int code = p.exitValue();
            String out = shorten(output.toString().strip());
            return result(check, code == 0, 0, t0, code == 0 ? out : "exit code " + code + (out.isEmpty() ? "" : ": " + out));
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            return result(check, false, 0, t0, "interrupted");
        }
    }

    private static void collect(InputStream in, StringBuffer out) {
        byte[] buf = new byte[1024];
        try (in) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (out.length() < 4 * MAX_DETAIL) out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the process was killed; what was read is enough
        }
    }

    private static void kill(Process p) {
        long pid = p.pid();
        try {
            if (PosixSignals.groupOf(pid) != pid || !PosixSignals.killGroup(pid, SIGKILL)) p.destroyForcibly();
        } catch (IllegalArgumentException | SupervisorException e) {
            p.destroyForcibly();
        }
    }

    private static String shorten(String s) {
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL) + "…" : s;
    }

    private static String message(IOException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static HealthResult result(HealthCheck check, boolean ok, int status, long t0, String detail) {
        double ms = Math.round((System.nanoTime() - t0) / 10_000.0) / 100.0;
        return new HealthResult(check.kind(), check.target(), ok, status, ms, detail);
    }
}
