package heromgr.proc.health;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthPolicy;
import heromgr.proc.HealthResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * Probes each running action's health checks on its policy's interval and keeps the verdict per action.
 * <p>
 * Before a run has passed its checks once, probes come fast (20 ms, doubling up to the interval) so readiness
 * shows within milliseconds of the service answering; those early failures do not count, since a starting
 * service is expected to fail them. Failures count once probing runs at the interval and the start period is
 * over: after {@code retries} of them in a row the action is unhealthy, after {@code livenessFailures} its
 * process is killed with its stop signal (SIGKILL after the stop timeout), so the runner sees an unexpected exit
 * and the restart policy decides. Idle cost: a tick every 200 ms per watched action that reads a snapshot (to
 * notice a restarted run at once); probes run on virtual threads, so a slow check never holds the scheduler.
 */
public final class HealthMonitor {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(20).toNanos();
    /** How often a watch looks for a new run (restarted, or waiting for its restart) between probes. */
    private static final long TICK_NANOS = Duration.ofMillis(200).toNanos();
    private static final int SIGKILL = 9;

    /** What status() shows, published after every change so reads take no lock. */
    private record Verdict(long pid, boolean healthy, List<HealthResult> results) {
    }

    private final ScheduledExecutorService scheduler;
    private final HealthProber prober = new HealthProber();
    private final ConcurrentHashMap<MonitoredAction, Watch> watches = new ConcurrentHashMap<>();
    private final BiConsumer<String, MonitoredAction> verdictChanged;
    private final BiConsumer<String, HealthResult> probed;
    private volatile boolean closed;

    /**
     * @param verdictChanged told (service, action) when an action turns healthy or stops being healthy, under the
     *                       watch's lock: it must return quickly and never call back into the monitor's watches
     * @param probed         told (service, result) after each probe, on the probing thread and outside any lock
     */
    public HealthMonitor(ScheduledExecutorService scheduler, BiConsumer<String, MonitoredAction> verdictChanged,
                         BiConsumer<String, HealthResult> probed) {
        this.scheduler = scheduler;
        this.verdictChanged = verdictChanged;
        this.probed = probed;
    }

    /** Watches the action with the spec's checks from now on (called after every start); no checks, no watch. */
    public void watch(String service, MonitoredAction action, ActionSpec spec) {
        if (spec.health().isEmpty()) {
            forget(action);
            return;
        }
        watches.computeIfAbsent(action, a -> new Watch(service, a)).update(spec);
    }

    public void forget(MonitoredAction action) {
        Watch w = watches.remove(action);
        if (w != null) w.cancel();
    }

    /** The status with the action's health added; unchanged for an action without checks. */
    public ActionStatus decorate(MonitoredAction action, ActionStatus status) {
        Watch w = watches.get(action);
        if (w == null) return status;
        Verdict v = w.verdict;
        boolean current = status.pid() != 0 && v.pid() == status.pid();
        return status.withHealth(current && v.healthy(), v.results());
    }

    /** Probes the checks now, on the caller's thread, and lets the watches of the service's actions see the results. */
    public List<HealthResult> probe(String service, List<HealthCheck> checks) {
        var results = new LinkedHashMap<HealthCheck, HealthResult>();
        for (HealthCheck c : checks) results.put(c, probe(service, c));
        observe(service, results);
        return List.copyOf(results.values());
    }

    private HealthResult probe(String service, HealthCheck check) {
        HealthResult r = prober.probe(check);
        probed.accept(service, r);
        return r;
    }

    /** Results of a probe someone else ran now (service.health): they update the shown results and may show readiness early. */
    private void observe(String service, Map<HealthCheck, HealthResult> results) {
        for (Watch w : watches.values()) {
            if (w.service.equals(service)) w.observe(results);
        }
    }

    public void close() {
        closed = true;
        for (Watch w : watches.values()) w.cancel();
    }

    private final class Watch {
        final String service;
        final MonitoredAction action;
        final ReentrantLock lock = new ReentrantLock();
        volatile Verdict verdict = new Verdict(0, false, List.of());
        // guarded by lock
        private ActionSpec spec;
        private ScheduledFuture<?> next;
        private boolean probing;
        private boolean cancelled;
        private long runPid;
        private long runStartNanos;
        private long lastProbeNanos;
        private long pauseNanos;
        private boolean healthy;
        private int failures;
        private final Map<HealthCheck, HealthResult> results = new LinkedHashMap<>();

        Watch(String service, MonitoredAction action) {
            this.service = service;
            this.action = action;
        }

        /** A start (first or again): look at the action now rather than at the end of a long pause. */
        void update(ActionSpec newSpec) {
            lock.lock();
            try {
                spec = newSpec;
                results.keySet().retainAll(newSpec.health());
                publish();
                if (cancelled || probing) return; // a probe in flight schedules the next tick itself
                if (next != null) next.cancel(false);
                scheduleTick(0);
            } finally {
                lock.unlock();
            }
        }

        void cancel() {
            lock.lock();
            try {
                cancelled = true;
                if (next != null) next.cancel(false);
            } finally {
                lock.unlock();
            }
        }

        private void scheduleTick(long delayNanos) {
            try {
                next = scheduler.schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                next = null; // supervisor closing
            }
        }

        /**
         * On the scheduler thread, so it only looks (a lock-free status read) and hands probing to a virtual
         * thread. Ticks come at least every TICK so a run restarted by the runner is noticed at once.
         */
        private void tick() {
            lock.lock();
            try {
                next = null;
                if (cancelled || closed || !action.isLive()) return; // dormant until the next start calls update()
                long current = action.status().pid();
                if (current == 0) {
                    scheduleTick(TICK_NANOS); // waiting for a restart
                    return;
                }
                if (current != runPid) newRun(current);
                long wait = lastProbeNanos + pauseNanos - System.nanoTime();
                if (lastProbeNanos != 0 && wait > 0) {
                    scheduleTick(Math.min(wait, TICK_NANOS));
                    return;
                }
                probing = true;
                lastProbeNanos = System.nanoTime();
                ActionSpec probed = spec;
                long pid = runPid;
                Thread.ofVirtual().name("health-" + service + "/" + spec.name()).start(() -> probe(probed, pid));
            } finally {
                lock.unlock();
            }
        }

        private void probe(ActionSpec probed, long pid) {
            var fresh = new LinkedHashMap<HealthCheck, HealthResult>();
            try {
                for (HealthCheck c : probed.health()) fresh.put(c, HealthMonitor.this.probe(service, c));
            } finally {
                lock.lock();
                try {
                    probing = false;
                    if (pid == runPid && probed.equals(spec) && fresh.size() == probed.health().size()) judge(fresh);
                    if (!cancelled && !closed) scheduleTick(0);
                } finally {
                    lock.unlock();
                }
            }
        }

        private void newRun(long pid) {
            runPid = pid;
            runStartNanos = System.nanoTime();
            lastProbeNanos = 0;
            pauseNanos = Math.min(FIRST_PAUSE_NANOS, spec.healthPolicy().interval().toNanos());
            healthy = false;
            failures = 0;
            results.clear();
            publish();
        }

        private void judge(Map<HealthCheck, HealthResult> fresh) {
            results.putAll(fresh);
            HealthPolicy policy = spec.healthPolicy();
            long interval = policy.interval().toNanos();
            if (fresh.values().stream().allMatch(HealthResult::ok)) {
                healthy = true;
                failures = 0;
                pauseNanos = interval;
            } else if (pauseNanos >= interval && System.nanoTime() - runStartNanos >= policy.startPeriod().toNanos()) {
                failures++;
                if (failures >= policy.retries()) healthy = false;
                if (policy.livenessFailures() > 0 && failures >= policy.livenessFailures()) killForLiveness(fresh);
            } else {
                pauseNanos = Math.min(interval, pauseNanos * 2);
            }
            publish();
        }

        private void killForLiveness(Map<HealthCheck, HealthResult> fresh) {
            String why = fresh.values().stream().filter(r -> !r.ok()).map(r -> r.kind() + " " + r.target() + ": " + r.detail())
                    .findFirst().orElse("");
            long pid = runPid;
            log.warn("{}/{}: {} health check failures in a row ({}); killing pid {} so the restart policy applies",
                    service, spec.name(), failures, why, pid);
            healthy = false;
            failures = 0;
            if (!action.signalRun(pid, spec.stopSignal().number())) return;
            MonitoredAction a = action;
            try {
                scheduler.schedule(() -> Thread.ofVirtual().start(() -> a.signalRun(pid, SIGKILL)),
                        spec.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing: the stop that follows kills it anyway
            }
        }

        void observe(Map<HealthCheck, HealthResult> fed) {
            lock.lock();
            try {
                if (spec == null || runPid == 0 || action.status().pid() != runPid) return; // a run the watch has not met yet
                boolean any = false;
                for (HealthCheck c : spec.health()) {
                    HealthResult r = fed.get(c);
                    if (r != null) {
                        results.put(c, r);
                        any = true;
                    }
                }
                // fed failures do not count: their pace is the caller's, not the policy's
                if (any && spec.health().stream().allMatch(c -> results.containsKey(c) && results.get(c).ok())) {
                    healthy = true;
                    failures = 0;
                    pauseNanos = spec.healthPolicy().interval().toNanos();
                }
                publish();
            } finally {
                lock.unlock();
            }
        }

        private void publish() {
            var ordered = new ArrayList<HealthResult>();
            for (HealthCheck c : spec.health()) {
                HealthResult r = results.get(c);
                if (r != null) ordered.add(r);
            }
            boolean was = verdict.healthy();
            verdict = new Verdict(runPid, healthy, List.copyOf(ordered));
            if (was != healthy) verdictChanged.accept(service, action);
        }
    }
}
