package heromgr.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.HeroPaths;
import heromgr.fs.JsonCodec;
import heromgr.manager.OperationLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * heromgr's own changes in the daemon's operation log (service.ops under the name heromgr). They are written
 * while no daemon runs (between stopping one and starting the next), so the log keeps a single writer, and the
 * next daemon reads them with the rest.
 */
public final class SelfOperations {
    public static final String UPGRADE = "heromgr.upgrade";
    public static final String ROLLBACK = "heromgr.rollback";

    /** A step of heromgr's own: it may fail. */
    @FunctionalInterface
    public interface Step {
        void run() throws IOException;
    }

    private final OperationLog log;

    public SelfOperations(HeroPaths paths) {
        this.log = new OperationLog(paths.state().resolve("ops"), OperationLog.KEPT);
    }

    /** Runs step and records it as method with these params (strings), whatever its outcome. */
    public void record(String method, Map<String, String> params, Step step) throws IOException {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        params.forEach(json::put);
        try {
            log.record(method, OperationLog.SELF, json, System.getProperty("user.name"), null, () -> {
                try {
                    step.run();
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
