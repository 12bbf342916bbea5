package heromgr.metrics;

/** Histogram bucket bounds in seconds, for what heromgr times. */
final class Buckets {
    /** RPC calls and operations: a status read takes well under a millisecond, a build minutes. */
    static final double[] CALLS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
            5, 10, 30, 60, 300};
    /** Health probes: a local socket answers in a millisecond; a check's timeout is a few seconds. */
    static final double[] PROBES = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private Buckets() {
    }
}
