package heromgr.testkit;

import heromgr.fs.TimedLog;
import heromgr.proc.ActionLine;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthResult;
import heromgr.proc.LogCursor;
import heromgr.proc.ProcessSupervisor;
import heromgr.proc.ServiceSpec;
import heromgr.proc.SupervisorException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A {@link ProcessSupervisor} that runs nothing, ONLY for unit tests of the manager's logic: the integration tests run
 * real daemons with real processes. It keeps to the contract: a start spawns the actions that are not live and leaves
 * live ones alone, a stop ends every run (no restart follows), every change reaches the {@link #onActionChange}
 * listeners on the thread that made it, and {@link ActionStatus#healthy()} is the health verdict (null for an action
 * without checks).
 * <p>
 * A test scripts what each start of a service does ({@link #script}: it runs healthy by default) and drives what
 * happens later ({@link #turnHealthy}, {@link #turnUnhealthy}, {@link #exit}); {@link #calls} lists every call of the
 * contract in order. Pids are above any kernel's pid_max, so none can name a real process. An action that exits waits
 * in BACKOFF when its policy restarts it: the restart itself never comes.
 */
public final class InMemorySupervisor implements ProcessSupervisor {
    private static final long FIRST_PID = 1L << 23;

    /** What one start does to the actions it spawns. */
    public sealed interface Outcome {
        /** Spawned and running; an action with health checks is judged healthy or not, until the test says otherwise. */
        record Runs(boolean healthy) implements Outcome {
        }

        /** Refused before anything is spawned, as a missing binary is: the start throws, naming the action and why. */
        record SpawnFails(String why) implements Outcome {
        }

        /** Spawned, then exited with this code before anyone looked: a crash during start, or a one-shot's end. */
        record Exits(int code) implements Outcome {
        }

        static Outcome healthy() {
            return new Runs(true);
        }

        /** Runs, but its checks do not pass (yet): {@link #turnHealthy} changes that. */
        static Outcome unhealthy() {
            return new Runs(false);
        }

        static Outcome spawnFails(String why) {
            return new SpawnFails(why);
        }

        static Outcome crashes(int code) {
            return new Exits(code);
        }

        /** Exits 0: a one-shot that did its work. */
        static Outcome completes() {
            return new Exits(0);
        }
    }

    /** One call of the contract; service is null for calls about no service. */
    public record Call(String method, String service) {
    }

    private final Map<String, List<MemoryAction>> services = new HashMap<>();
    private final Map<String, Deque<Outcome>> scripts = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<BiConsumer<String, ActionStatus>> listeners = new CopyOnWriteArrayList<>();
    private long nextPid = FIRST_PID;

    /** What the next starts of the service do, one outcome per start that spawns; the last stays for all later ones. */
    public synchronized void script(String service, Outcome... outcomes) {
        scripts.put(service, new ArrayDeque<>(List.of(outcomes)));
    }

    /** The running action's checks pass from now on (a verdict the listeners hear of). */
    public synchronized void turnHealthy(String service, String action) {
        running(service, action).judge(true, this::publish);
    }

    /** The running action's checks fail from now on. */
    public synchronized void turnUnhealthy(String service, String action) {
        running(service, action).judge(false, this::publish);
    }

    /** The running action's process exits on its own with this code; its restart policy decides what follows. */
    public synchronized void exit(String service, String action, int code) {
        running(service, action).exit(code, this::publish);
    }

    /** Every call so far, in order. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The services named by the calls of one method, in call order. */
    public synchronized List<String> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).map(Call::service).toList();
    }

    /** The starts and stops so far, in order, as "start NAME" and "stop NAME". */
    public synchronized List<String> changes() {
        return calls.stream().filter(c -> c.method().equals("start") || c.method().equals("stop"))
                .map(c -> c.method() + " " + c.service()).toList();
    }

    @Override
    public synchronized List<ActionStatus> start(ServiceSpec spec) {
        calls.add(new Call("start", spec.name()));
        Map<String, MemoryAction> existing = new HashMap<>();
        for (MemoryAction a : services.getOrDefault(spec.name(), List.of())) existing.put(a.name(), a);
        boolean spawns = spec.actions().stream().anyMatch(s -> !existing.containsKey(s.name()) || !existing.get(s.name()).live());
        Outcome outcome = spawns ? nextOutcome(spec.name()) : null;
        if (outcome instanceof Outcome.SpawnFails(String why)) {
            String action = spec.actions().stream().filter(s -> !existing.containsKey(s.name()) || !existing.get(s.name()).live())
                    .findFirst().orElseThrow().name();
            throw new SupervisorException("action " + action + ": " + why);
        }
        List<MemoryAction> actions = new ArrayList<>();
        List<ActionStatus> started = new ArrayList<>();
        for (ActionSpec s : spec.actions()) {
            MemoryAction a = existing.remove(s.name());
            if (a == null) a = new MemoryAction(spec.name(), s);
            actions.add(a);
            started.add(a.live() ? a.respec(s) : a.spawn(s, nextPid++, outcome, this::publish));
        }
        // an action dropped from the spec keeps running until the service stops, as with the embedded supervisor
        existing.values().stream().filter(MemoryAction::live).forEach(actions::add);
        services.put(spec.name(), List.copyOf(actions));
        return started;
    }

    @Override
    public synchronized List<ActionStatus> stop(String service) {
        calls.add(new Call("stop", service));
        List<MemoryAction> actions = services.getOrDefault(service, List.of());
        for (MemoryAction a : actions.reversed()) a.stop(this::publish);
        return statuses(actions);
    }

    @Override
    public synchronized List<ActionStatus> status(String service) {
        calls.add(new Call("status", service));
        return statuses(services.getOrDefault(service, List.of()));
    }

    @Override
    public synchronized List<String> tail(String service, String action, int lines) {
        calls.add(new Call("tail", service));
        return List.of();
    }

    /** Nothing runs here, so nothing was written. */
    @Override
    public synchronized List<ActionLine> read(String service, String action, TimedLog.Query query) {
        calls.add(new Call("read", service));
        return List.of();
    }

    /** A nothing-written log: nothing runs here, so no line ever comes. */
    @Override
    public synchronized LogCursor followLog(Path logFile, int lines) {
        calls.add(new Call("followLog", null));
        return new EmptyLog(logFile);
    }

    /**
     * Each check answers as the verdict of the running action that declares it says (a check no running action
     * declares fails): the probe shows what the test scripted, it does not change it.
     */
    @Override
    public synchronized List<HealthResult> probe(String service, List<HealthCheck> checks) {
        calls.add(new Call("probe", service));
        List<MemoryAction> actions = services.getOrDefault(service, List.of());
        return checks.stream().map(c -> actions.stream().filter(a -> a.running() && a.declares(c)).findFirst()
                .map(a -> a.answer(c)).orElse(new HealthResult(c.kind(), c.target(), false, 0, 0, "not running"))).toList();
    }

    @Override
    public void onActionChange(BiConsumer<String, ActionStatus> listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void awaitPersisted() {
        calls.add(new Call("awaitPersisted", null));
    }

    @Override
    public synchronized void paceForWave(boolean begins) {
        calls.add(new Call(begins ? "waveBegins" : "waveEnds", null));
    }

    @Override
    public synchronized void close(boolean stopAll) {
        calls.add(new Call("close", null));
        if (stopAll) services.values().forEach(actions -> actions.reversed().forEach(a -> a.stop(this::publish)));
    }

    private Outcome nextOutcome(String service) {
        Deque<Outcome> script = scripts.get(service);
        if (script == null || script.isEmpty()) return Outcome.healthy();
        return script.size() > 1 ? script.poll() : script.peek();
    }

    private MemoryAction running(String service, String action) {
        return services.getOrDefault(service, List.of()).stream()
                .filter(a -> a.name().equals(action) && a.running()).findFirst()
                .orElseThrow(() -> new IllegalStateException(service + "/" + action + " is not running"));
    }

    private void publish(String service, ActionStatus status) {
        for (var l : listeners) l.accept(service, status);
    }

    private static List<ActionStatus> statuses(List<MemoryAction> actions) {
        return actions.stream().map(MemoryAction::status).toList();
    }

    private record EmptyLog(Path file) implements LogCursor {
        @Override
        public List<String> lastLines() {
            return List.of();
        }

        @Override
        public boolean restarted() {
            return false;
        }

        @Override
        public int read(ByteBuffer buf) {
            buf.clear().flip();
            return 0;
        }
    }
}
