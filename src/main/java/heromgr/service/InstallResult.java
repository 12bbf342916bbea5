package heromgr.service;

import java.util.List;

/** What an install put in place. changed is false when every binary already had the same content. */
public record InstallResult(String name, String mode, List<Artifact> installed, String version, boolean changed) {
}
