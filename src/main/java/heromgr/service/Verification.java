package heromgr.service;

import java.nio.file.Path;
import java.util.List;

/** service.verify's answer: ok only when every point of every binary holds; each failing point is named. */
public record Verification(String name, boolean ok, List<BinaryCheck> binaries, List<String> problems) {

    /**
     * One installed binary. fresh is null when there is no source checkout to compare with (a downloaded release);
     * otherwise whether the binary is newer than the newest source file. asset is the release asset install took it
     * from (an older name shows here), null when it was not downloaded.
     */
    public record BinaryCheck(Path path, boolean present, boolean executable, boolean elf, String sha256,
                              String expectedSha256, Boolean fresh, String asset) {

        BinaryCheck from(String releaseAsset) {
            return new BinaryCheck(path, present, executable, elf, sha256, expectedSha256, fresh, releaseAsset);
        }
    }
}
