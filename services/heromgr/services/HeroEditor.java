package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_editor, replacing service_editor.nu. The seed: one of the 33 modules it ported (never run). Its
 * published releases still carry the old {@code hero_editor_ui} asset names (the seed's list of releases to
 * catch up). Known structural gaps: needs the ONNX runtime installed beside it. Shape: the common one, CLI +
 * server + admin. The ONNX runtime overlay comes on top of this class; here it has the plain shape.
 */
public final class HeroEditor implements HeroService {
    @Override
    public String name() {
        return "hero_editor";
    }

    @Override
    public String description() {
        return "Hero editor";
    }
}
