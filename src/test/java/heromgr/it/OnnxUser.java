package heromgr.it;

import heromgr.proc.ActionSpec;
import heromgr.proc.RestartPolicy;
import heromgr.service.Ctx;
import heromgr.testkit.TestService;
import heromgr.service.OnnxRuntimeOverlay;

import java.util.List;

/**
 * A service that loads the ONNX Runtime, as hero_voice, hero_embedder and hero_editor do: its binary comes from its
 * release (repo test/&lt;name&gt;), the overlay from the overlay's. Its process prints its environment and stays up
 * only when the library its ORT_DYLIB_PATH names is there to read.
 */
record OnnxUser(String name) implements TestService {

    @Override
    public List<OnnxRuntimeOverlay> overlays() {
        return List.of(OnnxRuntimeOverlay.DEFAULT);
    }

    @Override
    public List<ActionSpec> actions(Ctx ctx) {
        return List.of(ActionSpec.process("main", List.of("/bin/sh", "-c", "env; test -r \"$ORT_DYLIB_PATH\" && exec sleep 100000"),
                env(ctx), ctx.paths().home(), logDir(ctx).resolve("main.log")).withRestart(RestartPolicy.never()));
    }
}
