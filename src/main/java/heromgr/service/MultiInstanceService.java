package heromgr.service;

/**
 * The base of a class that runs as named instances side by side ({@code mycelium@b} beside mycelium): this object
 * is one instance, the unnamed one when made by the class's public constructor. Every default that makes a path
 * from name() gives the instance its own socket folder, logs and state; baseName() keeps the binaries, build and
 * install record the class's; HERO_INSTANCE tells the binary which instance it is (HeroService's env); a class
 * that needs ports of its own per instance makes them with {@link ServiceInstance#port}.
 */
public abstract class MultiInstanceService implements HeroService {
    private final ServiceInstance self;

    protected MultiInstanceService(ServiceInstance self) {
        this.self = self;
    }

    /** The class as the given instance: a new object of the same class. */
    protected abstract HeroService as(ServiceInstance instance);

    protected final ServiceInstance self() {
        return self;
    }

    @Override
    public final String name() {
        return self.name();
    }

    @Override
    public final String baseName() {
        return self.service();
    }

    @Override
    public final boolean multiInstance() {
        return true;
    }

    @Override
    public final HeroService instance(ServiceInstance instance) {
        return as(instance);
    }
}
