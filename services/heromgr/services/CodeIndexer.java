package heromgr.services;

import heromgr.service.HeroService;

/**
 * code_indexer, replacing service_code_indexer.nu. The seed: one of the 33 modules it ported (never run).
 * Shape: the common one, CLI + server + admin.
 */
public final class CodeIndexer implements HeroService {
    @Override
    public String name() {
        return "code_indexer";
    }

    @Override
    public String description() {
        return "Code indexer";
    }
}
