package heromgr.manager;

import java.time.Instant;

/**
 * Something that happened, for the event stream. Types: "operation" (start, end of a changing operation),
 * "health" (a service's health changed), "state" (an action's state changed), "job" (a process exited).
 */
public record Event(long seq, String type, String service, Instant at, Object data) {
}
