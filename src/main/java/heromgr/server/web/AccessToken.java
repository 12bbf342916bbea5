package heromgr.server.web;

import heromgr.fs.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A random secret kept in a file only its owner reads (0600): the HTTP listener's token. Kept across daemon
 * restarts, so a bookmarked URL and `heromgr ui` keep working; delete the file to change it.
 */
public record AccessToken(String value) {
    private static final int BYTES = 32;

    @Override
    public String toString() {
        return "AccessToken[redacted]";
    }

    /** The token in file, made (0600) when there is none or it is not a token. */
    public static AccessToken loadOrCreate(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String kept = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (kept.matches("[0-9a-f]{" + 2 * BYTES + "}")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                return new AccessToken(kept);
            }
        }
        AccessToken made = random();
        Files.createDirectories(file.getParent());
        AtomicFile.write(file, (made.value + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return made;
    }

    /** A new random token (also the per-daemon CSRF token). */
    public static AccessToken random() {
        byte[] bytes = new byte[BYTES];
        new SecureRandom().nextBytes(bytes);
        return new AccessToken(HexFormat.of().formatHex(bytes));
    }

    /** In constant time, so the answer's timing tells nothing of the token. */
    public boolean matches(String offered) {
        if (offered == null) return false;
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII), offered.getBytes(StandardCharsets.US_ASCII));
    }
}
