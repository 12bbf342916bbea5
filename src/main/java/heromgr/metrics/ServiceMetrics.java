package heromgr.metrics;

import heromgr.api.ApiException;
import heromgr.manager.Results.ServiceSummary;
import heromgr.manager.Results.StatusReport;
import heromgr.manager.ServiceManager;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.Objects;

/**
 * Each service and each of its actions as the API shows them, read at scrape time from the same calls
 * (service.list for health, type and version; service.status for the state and the actions), so /metrics and
 * service.status never disagree on a still fleet. A state is one series per state word, 1 for the current one
 * (the usual Prometheus form of an enum: `heromgr_service_state{state="FAILED"} == 1` alerts).
 */
final class ServiceMetrics implements MultiCollector {
    private static final ActionState[] STATES = ActionState.values();

    private final ServiceManager manager;

    ServiceMetrics(ServiceManager manager) {
        this.manager = manager;
    }

    @Override
    public MetricSnapshots collect() {
        var scrape = new Scrape();
        for (ServiceSummary s : manager.list()) {
            try {
                scrape.add(s, manager.status(s.name()));
            } catch (ApiException deletedMeanwhile) {
                // a transient service deleted between the list and its status: not there any more
            }
        }
        return scrape.snapshots();
    }

    /** One scrape's series, family by family. */
    private static final class Scrape {
        final GaugeSnapshot.Builder state = gauge("heromgr_service_state",
                "1 for the service's state (the word service.status answers), 0 for every other state");
        final GaugeSnapshot.Builder healthy = gauge("heromgr_service_healthy",
                "1 when the service's last known health is healthy, 0 when not (absent while unknown)");
        final GaugeSnapshot.Builder info = gauge("heromgr_service_info", "1 per service, with its type and installed version");
        final CounterSnapshot.Builder restarts = counter("heromgr_service_restarts",
                "Restarts of the service's actions by their restart policy (a service.start sets it back to 0)");
        final GaugeSnapshot.Builder actionState = gauge("heromgr_action_state", "1 for the action's state, 0 for every other state");
        final GaugeSnapshot.Builder actionHealthy = gauge("heromgr_action_healthy",
                "1 when the action's health checks passed during its current run, else 0 (absent for an action without checks)");
        final CounterSnapshot.Builder actionRestarts = counter("heromgr_action_restarts",
                "Restarts of the action by its restart policy (a service.start sets it back to 0)");
        final GaugeSnapshot.Builder uptime = gauge("heromgr_action_uptime_seconds", "How long the action's process has run (0 when none runs)");

        void add(ServiceSummary s, StatusReport status) {
            Labels service = Labels.of("service", s.name());
            states(state, service, status.state());
            if (s.healthy() != null) healthy.dataPoint(point(service, s.healthy() ? 1 : 0));
            info.dataPoint(point(Labels.of("service", s.name(), "type", s.type(), "version", Objects.toString(s.version(), "")), 1));
            long sum = 0;
            for (ActionStatus a : status.actions()) {
                Labels action = Labels.of("service", s.name(), "action", a.name());
                states(actionState, action, a.state().name());
                if (a.healthy() != null) actionHealthy.dataPoint(point(action, a.healthy() ? 1 : 0));
                actionRestarts.dataPoint(CounterDataPointSnapshot.builder().labels(action).value(a.restartCount()).build());
                uptime.dataPoint(point(action, a.uptimeMs() / 1000.0));
                sum += a.restartCount();
            }
            restarts.dataPoint(CounterDataPointSnapshot.builder().labels(service).value(sum).build());
        }

        MetricSnapshots snapshots() {
            return MetricSnapshots.of(state.build(), healthy.build(), info.build(), restarts.build(), actionState.build(),
                    actionHealthy.build(), actionRestarts.build(), uptime.build());
        }

        private static void states(GaugeSnapshot.Builder family, Labels labels, String current) {
            for (ActionState st : STATES) family.dataPoint(point(labels.add("state", st.name()), st.name().equals(current) ? 1 : 0));
        }

        private static GaugeDataPointSnapshot point(Labels labels, double value) {
            return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
        }

        private static GaugeSnapshot.Builder gauge(String name, String help) {
            return GaugeSnapshot.builder().name(name).help(help);
        }

        private static CounterSnapshot.Builder counter(String name, String help) {
            return CounterSnapshot.builder().name(name).help(help);
        }
    }
}
