package heromgr.service;

import heromgr.fs.ConfinedHomes;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.AtomicFile;
import heromgr.fs.HeroPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API key and secret hero_livekit (the LiveKit server) and its clients (hero_collab) share. Generated once
 * (SecureRandom) into $HERO_HOME/cfg/livekit/credentials, owner-only (0600 in a 0700 folder), and read from there
 * at every later start: a second start reuses them, so a client and the server never disagree. A file that is
 * damaged or readable by others is an error naming it, never silently replaced (its clients would lose access).
 * Clients get {@code LIVEKIT_API_KEY}, {@code LIVEKIT_API_SECRET} and {@code LIVEKIT_URL}; the server also
 * {@code LIVEKIT_KEYS} ("key: secret", livekit-server's own variable).
 */
public record LiveKitCredentials(String apiKey, String apiSecret) {
    /** Where livekit-server listens by default (its --dev port); clients reach it on the loopback. */
    public static final String URL = "ws://127.0.0.1:7880";
    private static final Pattern KEY = Pattern.compile("API[A-Za-z0-9]{12}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public LiveKitCredentials {
        if (!KEY.matcher(apiKey).matches() || !SECRET.matcher(apiSecret).matches()) {
            throw new IllegalArgumentException("not a LiveKit key and secret of the shape heromgr makes");
        }
    }

    public static Path file(HeroPaths paths) {
        return paths.home().resolve("cfg/livekit/credentials");
    }

    /**
     * The credentials, generated and kept now when there are none yet: what a start calls before it builds its
     * actions. One daemon serves a HERO_HOME, so a lock in this JVM is enough to generate them once.
     * @throws ApiException START_FAILED naming the file when it is damaged or readable by others
     */
    public static synchronized LiveKitCredentials ensure(HeroPaths paths, String service) {
        Path file = file(paths);
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                LiveKitCredentials made = generate();
                ConfinedHomes.makeFolder(file.getParent());
                Files.setPosixFilePermissions(file.getParent(), OWNER_ONLY_DIR);
                AtomicFile.write(file, made.fileText().getBytes(StandardCharsets.UTF_8));
                return made;
            }
            return parse(file);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.START_FAILED, service + ": cannot keep the LiveKit credentials in " + file + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(ErrorCode.START_FAILED, service + ": " + e.getMessage());
        }
    }

    /** The credentials kept, without making any: empty when there are none yet or the file is damaged (a start says why). */
    public static Optional<LiveKitCredentials> read(HeroPaths paths) {
        Path file = file(paths);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try {
            return Optional.of(parse(file));
        } catch (IOException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** env and, once the credentials are made, what a LiveKit client (hero_collab) is given. */
    public static Map<String, String> withClientEnv(Map<String, String> env, HeroPaths paths) {
        return read(paths).map(c -> merged(env, c.clientEnv())).orElse(env);
    }

    /** env and, once the credentials are made, what the LiveKit server (hero_livekit) is given. */
    public static Map<String, String> withServerEnv(Map<String, String> env, HeroPaths paths) {
        return read(paths).map(c -> merged(env, c.serverEnv())).orElse(env);
    }

    private static Map<String, String> merged(Map<String, String> env, Map<String, String> more) {
        var out = new HashMap<>(env);
        out.putAll(more);
        return out;
    }

    /** What a LiveKit client (hero_collab) is given. */
    public Map<String, String> clientEnv() {
        var env = new LinkedHashMap<String, String>();
        env.put("LIVEKIT_URL", URL);
        env.put("LIVEKIT_API_KEY", apiKey);
        env.put("LIVEKIT_API_SECRET", apiSecret);
        return env;
    }

    /** What the server (hero_livekit) is given: the client's variables and livekit-server's LIVEKIT_KEYS. */
    public Map<String, String> serverEnv() {
        var env = new HashMap<>(clientEnv());
        env.put("LIVEKIT_KEYS", apiKey + ": " + apiSecret);
        return env;
    }

    private static LiveKitCredentials generate() {
        var key = new StringBuilder("API");
        for (int i = 0; i < 12; i++) key.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new LiveKitCredentials(key.toString(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    private String fileText() {
        return "# made by heromgr once; hero_livekit and hero_collab read it at every start. Removing it makes new ones.\n"
                + "LIVEKIT_API_KEY=" + apiKey + "\nLIVEKIT_API_SECRET=" + apiSecret + "\n";
    }

    private static LiveKitCredentials parse(Path file) throws IOException {
        ConfinedHomes.refuseLinks(file.getParent()); // a linked cfg/ would hand a service secrets kept elsewhere
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file)) throw damaged(file, "it is not a regular file");
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY_DIR.containsAll(mode)) {
            throw damaged(file, "others may read it (mode " + PosixFilePermissions.toString(mode) + "; heromgr keeps it 0600)");
        }
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw damaged(file, "a line without '=': " + line.length() + " characters");
            values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        String key = values.get("LIVEKIT_API_KEY");
        String secret = values.get("LIVEKIT_API_SECRET");
        if (key == null || secret == null) throw damaged(file, "LIVEKIT_API_KEY or LIVEKIT_API_SECRET is missing");
        if (!KEY.matcher(key).matches() || !SECRET.matcher(secret).matches()) {
            throw damaged(file, "the key or the secret does not have the shape heromgr makes (API + 12 letters or digits; 43 base64url characters)");
        }
        return new LiveKitCredentials(key, secret);
    }

    private static IllegalStateException damaged(Path file, String why) {
        return new IllegalStateException("the LiveKit credentials in " + file + " cannot be used: " + why
                + "; repair the file, or remove it to have new ones made (every LiveKit client then gets the new ones at its next start)");
    }
}
