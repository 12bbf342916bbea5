package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_embedder, replacing service_embedder.nu. The seed: one of the 33 modules it ported (never run). Its
 * published releases still carry the old {@code hero_embedder_ui} asset names (the seed's list of releases to
 * catch up). Known structural gaps: needs the ONNX runtime installed beside it. hero_books reaches it through
 * HERO_EMBEDDER_URL. Shape: the common one, CLI + server + admin. The ONNX runtime overlay comes on top of this
 * class; here it has the plain shape.
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
}
