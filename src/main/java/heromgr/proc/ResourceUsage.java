package heromgr.proc;

/**
 * What an action's processes use: CPU time so far (user + system, in µs) and memory now (bytes). wholeGroup: the
 * counters are its cgroup's, so every process of its runs counts (and CPU time adds up across its restarts
 * until a stop); false: only its main process's, read from /proc, for a supervisor without cgroups.
 */
public record ResourceUsage(long cpuUsec, long memoryBytes, boolean wholeGroup) {
}
