package heromgr.proc;

import heromgr.http.UnixHttpClient;

import java.io.IOException;

/** Runs health checks against live services. */
public final class HealthProber {

    public HealthResult probe(HealthCheck check) {
        long t0 = System.nanoTime();
        return switch (check) {
            case HealthCheck.HttpUnix http -> probeHttpUnix(http, t0);
        };
    }

    private static HealthResult probeHttpUnix(HealthCheck.HttpUnix check, long t0) {
        if (!java.nio.file.Files.exists(check.socket())) {
            return result(check, false, 0, t0, "socket " + check.socket() + " does not exist");
        }
        try (var client = new UnixHttpClient(check.socket(), check.timeout())) {
            UnixHttpClient.Response r = client.get(check.path());
            boolean ok = r.status() == check.expectStatus();
            String body = r.text();
            String detail = body.length() > 300 ? body.substring(0, 300) + "…" : body;
            return result(check, ok, r.status(), t0, ok ? detail : "expected HTTP " + check.expectStatus() + ", got " + r.status() + ": " + detail);
        } catch (IOException e) {
            return result(check, false, 0, t0, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static HealthResult result(HealthCheck check, boolean ok, int status, long t0, String detail) {
        double ms = Math.round((System.nanoTime() - t0) / 10_000.0) / 100.0;
        return new HealthResult(check.kind(), check.target(), ok, status, ms, detail);
    }
}
