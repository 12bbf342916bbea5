package heromgr.manager;

import heromgr.proc.ActionStatus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The supervisor's changes as events: "state" when an action's state changes, "job" when a run ends, "health"
 * (with the action) when the monitor's verdict on an action with checks turns healthy or stops being healthy.
 */
final class ActionEvents {
    private final EventBus events;
    private final Map<String, ActionStatus> lastSeen = new ConcurrentHashMap<>();

    ActionEvents(EventBus events) {
        this.events = events;
    }

    /** Called by the supervisor on the thread that made the change: publishes and returns, never blocks. */
    void changed(String service, ActionStatus now) {
        ActionStatus before = lastSeen.put(service + "/" + now.name(), now);
        if (before == null || before.state() != now.state() || before.pid() != now.pid()) {
            events.publish("state", service, Map.of("action", now.name(), "state", now.state().name(), "pid", now.pid(),
                    "restart_count", now.restartCount()));
        }
        if (now.lastExit() != null && (before == null || !now.lastExit().equals(before.lastExit()))) {
            events.publish("job", service, Map.of("action", now.name(), "exit", now.lastExit()));
        }
        // unknown counts as not healthy, so a fresh start is not announced as a loss of health
        boolean healthyBefore = before != null && Boolean.TRUE.equals(before.healthy());
        if (now.healthy() != null && now.healthy() != healthyBefore) {
            events.publish("health", service, Map.of("action", now.name(), "ok", now.healthy(), "pid", now.pid()));
        }
    }
}
