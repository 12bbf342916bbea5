package heromgr.service;

import java.util.List;
import java.util.Map;

/**
 * What an install put in place. changed is false when every binary already had the same content. assets: for a
 * download, the release asset each binary came from (binary name → asset name), which says when an older name was taken.
 */
public record InstallResult(String name, String mode, List<Artifact> installed, String version, boolean changed,
                            Map<String, String> assets) {
}
