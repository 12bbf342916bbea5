package heromgr.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What install last put in $HERO_HOME/bin for a service: the reference verify and inspect compare against. assets
 * names, for a download, the release asset each binary was taken from (binary name → asset name); empty for source.
 */
public record InstallRecord(String name, String mode, String version, Instant installedAt, List<Artifact> binaries,
                            Map<String, String> assets) {

    public InstallRecord {
        // records written before assets were kept have none
        assets = assets == null ? Map.of() : Map.copyOf(assets);
    }
}
