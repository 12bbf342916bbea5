package heromgr.service;

import java.time.Instant;
import java.util.List;

/** What install last put in $HERO_HOME/bin for a service: the reference verify and inspect compare against. */
public record InstallRecord(String name, String mode, String version, Instant installedAt, List<Artifact> binaries) {
}
