package heromgr.service;

import java.util.List;

/** What a build produced. skipped: the binaries were already newer than every source file, nothing ran. */
public record BuildResult(String name, String profile, List<Artifact> binaries, long durationMs, boolean skipped, String outputLog) {
}
