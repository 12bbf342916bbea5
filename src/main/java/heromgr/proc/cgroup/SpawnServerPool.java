package heromgr.proc.cgroup;

import heromgr.proc.os.PosixSpawn;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.stream.IntStream;

/**
 * A few spawn servers, each serving one spawn at a time. A spawn holds its server until the service's exec, and under
 * load that waits for a core: with one server, the spawns of a batch of 1,000 creates (16 calls at a time) spent
 * ~300 s in all queued behind it, against ~4 s with four (load 14). The server returned last is the next one taken,
 * so servers beyond the first start only when spawns overlap.
 */
final class SpawnServerPool {
    static final int SIZE = 4;
    private final LinkedBlockingDeque<SpawnServer> idle = new LinkedBlockingDeque<>(SIZE);

    SpawnServerPool(Path program) {
        IntStream.range(0, SIZE).forEach(i -> idle.add(new SpawnServer(program)));
    }

    /** As {@link SpawnServer#spawn}, on an idle server. */
    Optional<String> spawn(PosixSpawn.Request r, Path cgroupDir) {
        SpawnServer server;
        try {
            server = idle.takeFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            return server.spawn(r, cgroupDir);
        } finally {
            idle.offerFirst(server);
        }
    }

    /** The pids of the idle servers that run, the next to serve first (the one that served last). */
    List<Long> pids() {
        return idle.stream().map(SpawnServer::pid).filter(OptionalLong::isPresent).map(OptionalLong::getAsLong).toList();
    }
}
