package heromgr.service;

import java.nio.file.Path;

/** A binary file with its content hash. */
public record Artifact(Path path, String sha256) {
}
