package heromgr.manager;

import heromgr.proc.ProcessSupervisor;
import heromgr.proc.StopWave;

import java.util.function.Supplier;

/**
 * The wait for the state file, moved from each call of a batch to the batch's end. A stop answers only once "stopped"
 * is on disk (a daemon killed right after must not restart it by its policy); inside a batch nobody hears a call's
 * answer before the batch's, so the calls run inside {@link #run} skip their own wait and {@link #await()} waits once
 * for all of them before the batch answers. A stop batch of 1000 then makes one write of the state file where its
 * calls made one each round (each write serializes every service: ~1.1 MB at 1000).
 * Only for calls after which nothing else is changed on the strength of the state on disk (a delete removes the
 * definition after its stop, so it keeps its own wait). A start's wait (a create's too) is deferred the same way when
 * it runs inside one: a daemon killed before the wave's write leaves runs the file never heard of, which the next one
 * adopts by their marker (see EmbeddedSupervisor).
 */
public final class DeferredPersistence {
    private static final ScopedValue<DeferredPersistence> CURRENT = ScopedValue.newInstance();

    private static final DeferredPersistence NONE = new DeferredPersistence(null, null);

    private final ProcessSupervisor supervisor;
    private final StopWave wave;
    private volatile boolean due;

    private DeferredPersistence(ProcessSupervisor supervisor, StopWave wave) {
        this.supervisor = supervisor;
        this.wave = wave;
    }

    /** Begins a wave: the state file is written less often until {@link #await()} (see ProcessSupervisor#paceForWave). */
    static DeferredPersistence of(ProcessSupervisor supervisor, int calls) {
        supervisor.paceForWave(true);
        return new DeferredPersistence(supervisor, new StopWave(calls));
    }

    /** No deferral: each call inside {@link #run} waits for its own write, as outside it. */
    public static DeferredPersistence none() {
        return NONE;
    }

    /** Runs call, one of the wave's, with its waits for the state file deferred to {@link #await()}; its signals go first (see StopWave). */
    public <T> T run(Supplier<T> call) {
        if (supervisor == null) return call.get();
        return wave.run(() -> ScopedValue.where(CURRENT, this).call(call::get));
    }

    /** Ends the wave; returns once every change made so far is on disk, if a call inside {@link #run} deferred its wait. */
    public void await() {
        if (supervisor == null) return;
        supervisor.paceForWave(false);
        if (due) supervisor.awaitPersisted();
    }

    /** The wait of a call that changed the state: deferred inside {@link #run}, else now. */
    static void awaitPersisted(ProcessSupervisor supervisor) {
        if (CURRENT.isBound()) CURRENT.get().due = true;
        else supervisor.awaitPersisted();
    }
}
