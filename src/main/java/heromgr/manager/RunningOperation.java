package heromgr.manager;

/**
 * A changing operation while it runs: its id in the operation log and its method. Handed to the operation so that
 * what it reports along the way (download progress) names the operation the way its start and end events do.
 */
public record RunningOperation(String id, String method) {
}
