package heromgr.service;

/**
 * One named instance of a service class that runs side by side with others of its class: {@code hero_codescalers@b}
 * is instance "b" of hero_codescalers. Its name is its own everywhere a name is a path segment (sockets, logs,
 * state), while binaries, build and install record stay the class's. number is the instance's stable ordinal
 * (1 for the first instance ever made of the class, 0 for the class's own unnamed instance), which a class uses to
 * give every instance ports of its own.
 */
public record ServiceInstance(String service, String instance, int number) {

    public static final char SEPARATOR = '@';

    public ServiceInstance {
        if (number < 0) throw new IllegalArgumentException("instance numbers start at 0, got " + number);
    }

    /** The unnamed instance: the class's own name, number 0. */
    public static ServiceInstance unnamed(String service) {
        return new ServiceInstance(service, null, 0);
    }

    /** service@instance, or the class's name for the unnamed instance. */
    public String name() {
        return instance == null ? service : service + SEPARATOR + instance;
    }

    /** A port of this instance's own: base for the unnamed instance, base + number for the others. */
    public int port(int base) {
        return base + number;
    }
}
