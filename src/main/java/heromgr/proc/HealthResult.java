package heromgr.proc;

/** One probe's outcome. status is the HTTP status (0 when none was received); detail says why it failed or what answered. */
public record HealthResult(String kind, String target, boolean ok, int status, double latencyMs, String detail) {
}
