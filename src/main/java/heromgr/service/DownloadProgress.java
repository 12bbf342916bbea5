package heromgr.service;

/**
 * Told how far the downloads of an install have come. A download reports when its answer starts (0 bytes, and the
 * total when the forge sent a Content-Length), then at most every {@link CountingBodySubscriber#EVERY}, then once
 * more when the last byte is in, so a fast download does not flood whoever listens. Called on the HTTP client's
 * threads: an implementation must return quickly and never block.
 */
@FunctionalInterface
public interface DownloadProgress {
    DownloadProgress NONE = (binary, asset, bytesDone, bytesTotal) -> { };

    /** @param bytesTotal -1 when the forge did not say how long the asset is */
    void update(String binary, String asset, long bytesDone, long bytesTotal);
}
