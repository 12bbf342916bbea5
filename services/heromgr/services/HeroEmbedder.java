package heromgr.services;

import heromgr.service.HeroService;
import heromgr.service.OnnxRuntimeOverlay;

import java.util.List;

/**
 * hero_embedder, replacing service_embedder.nu. The seed: one of the 33 modules it ported (never run). Its
 * published releases still carry the old {@code hero_embedder_ui} asset names (the seed's list of releases to
 * catch up). Known structural gaps: needs the ONNX runtime installed beside it. hero_books reaches it through
 * HERO_EMBEDDER_URL. Shape: the common one, CLI + server + admin. Here: the ONNX Runtime overlay
 * (OnnxRuntimeOverlay.DEFAULT), installed with it into $HERO_HOME/lib, shared, on its ORT_DYLIB_PATH and LD_LIBRARY_PATH.
 */
public final class HeroEmbedder implements HeroService {
    @Override
    public String name() {
        return "hero_embedder";
    }

    @Override
    public String description() {
        return "Hero embedder";
    }

    @Override
    public List<OnnxRuntimeOverlay> overlays() {
        return List.of(OnnxRuntimeOverlay.DEFAULT);
    }
}
