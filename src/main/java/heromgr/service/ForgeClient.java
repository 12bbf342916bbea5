package heromgr.service;

import heromgr.fs.FailureCause;
import com.fasterxml.jackson.core.JsonProcessingException;
import heromgr.api.ApiException;
import heromgr.api.DurationSetting;
import heromgr.api.ErrorCode;
import heromgr.fs.JsonCodec;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Forgejo releases API: the latest release or one by tag, and asset downloads. FORGEJO_TOKEN is sent as
 * {@code Authorization: token …}, to the forge alone. Every request has one deadline for the whole exchange, body included, so a
 * server that stalls mid-download is cut off rather than waited on forever.
 */
public final class ForgeClient {
    public static final String DEFAULT_URL = "https://forge.ourworld.tf";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    static final String TIMEOUT_VARIABLE = "HEROMGR_FORGE_TIMEOUT_MS";
    /** Checksum files a release may carry, besides a {@code <asset>.sha256} per asset. */
    static final List<String> CHECKSUM_FILES = List.of("SHA256SUMS", "sha256sums.txt", "checksums.txt");
    private static final Pattern SHA256 = Pattern.compile("\\b[0-9a-fA-F]{64}\\b");

    private final URI base;
    private final String token;
    private final Duration timeout;

    public ForgeClient(URI base, String token, Duration timeout) {
        this.base = base;
        this.token = token == null || token.isBlank() ? null : token;
        this.timeout = timeout;
    }

    /**
     * One client for every forge, built on first use: building it sets up TLS (~500 classes, ~0.2 s and a selector
     * thread), which a daemon that never downloads should not pay for at start-up.
     */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** From the daemon's environment: FORGEJO_URL, FORGEJO_TOKEN, HEROMGR_FORGE_TIMEOUT_MS. */
    public static ForgeClient fromEnvironment(Map<String, String> env) {
        String url = env.getOrDefault("FORGEJO_URL", DEFAULT_URL);
        Duration timeout = DurationSetting.read(env, TIMEOUT_VARIABLE, DEFAULT_TIMEOUT);
        return new ForgeClient(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
                env.get("FORGEJO_TOKEN"), timeout);
    }

    public URI base() {
        return base;
    }

    /** The release with this tag, or the latest one when tag is null or "latest". */
    public ForgeRelease release(String ownerRepo, String tag) {
        boolean latest = tag == null || tag.equals("latest");
        String path = "/api/v1/repos/" + ownerRepo + (latest ? "/releases/latest"
                : "/releases/tags/" + URLEncoder.encode(tag, StandardCharsets.UTF_8));
        String what = ownerRepo + (latest ? " latest release" : " release " + tag);
        HttpResponse<byte[]> r = send(request(base.resolve(path)), HttpResponse.BodyHandlers.ofByteArray(), what);
        if (r.statusCode() == 404) {
            throw new ApiException(ErrorCode.DOWNLOAD_FAILED, what + ": not found on " + base);
        }
        failUnlessOk(r.statusCode(), what);
        try {
            ForgeRelease release = JsonCodec.MAPPER.readValue(r.body(), ForgeRelease.class);
            String problem = problemOf(release);
            if (problem != null) {
                throw new ApiException(ErrorCode.DOWNLOAD_FAILED, what + ": the forge answered no release heromgr can use: " + problem);
            }
            return release;
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.DOWNLOAD_FAILED, what + ": the forge answered JSON heromgr cannot read: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.DOWNLOAD_FAILED, what + ": unreadable answer: " + e.getMessage());
        }
    }

    /**
     * What the answer lacks to be a release, or null: JSON such as null or {} (a proxy's, a broken forge's) parses,
     * and would otherwise fail later, deep in an install, as a NullPointerException or a bad URI.
     */
    private static String problemOf(ForgeRelease release) {
        if (release == null || release.tagName() == null || release.tagName().isBlank()) return "it has no tag_name";
        for (ForgeRelease.Asset a : release.assets()) {
            if (a.name() == null || a.name().isBlank()) return "an asset has no name";
            if (!isHttpUrl(a.browserDownloadUrl())) {
                return "asset " + a.name() + " has no http(s) browser_download_url (" + a.browserDownloadUrl() + ")";
            }
        }
        return null;
    }

    private static boolean isHttpUrl(String url) {
        try {
            String scheme = url == null ? null : URI.create(url).getScheme();
            return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Expected sha256 per asset name, from the release's checksum assets (empty when it has none). */
    public Map<String, String> checksums(ForgeRelease release) {
        Map<String, String> sums = new HashMap<>();
        for (ForgeRelease.Asset a : release.assets()) {
            if (a.name().endsWith(".sha256")) {
                sums.put(a.name().substring(0, a.name().length() - ".sha256".length()), ownSum(a));
            } else if (CHECKSUM_FILES.contains(a.name())) {
                for (String line : text(a).lines().toList()) {
                    // "<hex>  <name>" (sha256sum's format, "*" marks binary mode)
                    String[] parts = line.trim().split("\\s+", 2);
                    if (parts.length < 2) continue;
                    sums.put(Path.of(parts[1].replaceFirst("^\\*", "")).getFileName().toString(), parts[0].toLowerCase(Locale.ROOT));
                }
            }
        }
        return sums;
    }

    /**
     * An {@code <asset>.sha256} is its asset's checksum whatever path its line names (sha256sum prints the path it was
     * given, often the build's own). One holding no sha256 stands as such, so that its asset fails the check rather than
     * pass unchecked.
     */
    private String ownSum(ForgeRelease.Asset a) {
        Matcher m = SHA256.matcher(text(a));
        return m.find() ? m.group().toLowerCase(Locale.ROOT) : "none (" + a.name() + " holds no sha256)";
    }

    /**
     * Downloads the asset into target (which must not be a file anyone runs: the caller renames it into place),
     * telling counter how many bytes arrived (see {@link DownloadProgress} for how often).
     */
    void download(ForgeRelease.Asset asset, Path target, CountingBodySubscriber.Counter counter) {
        var handler = CountingBodySubscriber.counting(HttpResponse.BodyHandlers.ofFile(target), counter);
        HttpResponse<Path> r;
        try {
            r = send(request(URI.create(asset.browserDownloadUrl())), handler, "download of " + asset.name());
        } catch (ApiException e) {
            // the forge is not to blame when the file it fills cannot be written (a full disk)
            if (e.getCause() instanceof IOException io && FailureCause.isStorage(io)) {
                throw new ApiException(ErrorCode.STORAGE_FAILED, "download of " + asset.name() + ": cannot write " + target + ": "
                        + FailureCause.inWords(io), null, io);
            }
            throw e;
        }
        failUnlessOk(r.statusCode(), "download of " + asset.name());
        checkSize(asset, target);
    }

    /**
     * A body that ends with its connection (no Content-Length) cut short looks complete to HTTP, and an asset without
     * a checksum has nothing else to tell it by: the size the release names does.
     */
    private static void checkSize(ForgeRelease.Asset asset, Path file) {
        long got;
        try {
            got = Files.size(file);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.STORAGE_FAILED, "download of " + asset.name() + ": cannot read " + file + ": "
                    + FailureCause.inWords(e), null, e);
        }
        if (asset.size() > 0 && got != asset.size()) {
            throw new ApiException(ErrorCode.DOWNLOAD_FAILED, "download of " + asset.name() + ": got " + got
                    + " bytes, the release says it has " + asset.size() + " bytes (cut short?)");
        }
    }

    /** Downloads the asset into target, unobserved. */
    public void download(ForgeRelease.Asset asset, Path target) {
        download(asset, target, (done, total) -> { });
    }

    /** A small text asset (a checksum file). */
    public String text(ForgeRelease.Asset asset) {
        HttpResponse<byte[]> r = send(request(URI.create(asset.browserDownloadUrl())), HttpResponse.BodyHandlers.ofByteArray(),
                "download of " + asset.name());
        failUnlessOk(r.statusCode(), "download of " + asset.name());
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private HttpRequest request(URI uri) {
        var b = HttpRequest.newBuilder(uri).GET().header("Accept", "application/json, */*");
        if (token != null && onTheForge(uri)) b.header("Authorization", "token " + token);
        return b.build();
    }

    /**
     * Whether uri is on the forge itself (scheme, host and port): an asset's download URL comes from the release, which
     * may link anywhere (an attachment's external URL), and FORGEJO_TOKEN is the forge's, not that host's.
     */
    private boolean onTheForge(URI uri) {
        return base.getScheme().equalsIgnoreCase(uri.getScheme()) && String.valueOf(base.getHost()).equalsIgnoreCase(uri.getHost())
                && port(base) == port(uri);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) return uri.getPort();
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, String what) {
        CompletableFuture<HttpResponse<T>> f = Http.CLIENT.sendAsync(req, handler);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ApiException(ErrorCode.DOWNLOAD_FAILED, what + ": no complete answer from " + req.uri()
                    + " within " + timeout.toMillis() + " ms" + whichForge());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ApiException(ErrorCode.DOWNLOAD_FAILED, what + " failed: " + describe(cause) + " (" + req.uri() + ")"
                    + whichForge(), null, cause);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.DOWNLOAD_FAILED, what + ": interrupted");
        }
    }

    /** In words: a refused connection's exception has no message at all, and its class name helps nobody. */
    private static String describe(Throwable t) {
        String m = t.getMessage();
        return switch (t) {
            case ConnectException _ -> "cannot connect" + (m == null ? "" : ": " + m);
            case UnknownHostException _ -> "unknown host" + (m == null ? "" : ": " + m);
            case IOException _ when m != null -> m;
            default -> t.toString();
        };
    }

    /** Which forge this is and the variable that picks another: the likely fix of a network failure. */
    private String whichForge() {
        return "; the forge is FORGEJO_URL=" + base + " (set FORGEJO_URL in the daemon's environment for another)";
    }

    private void failUnlessOk(int status, String what) {
        if (status == 401 || status == 403) {
            throw new ApiException(ErrorCode.DOWNLOAD_FAILED, what + ": the forge answered " + status
                    + (token == null ? " (FORGEJO_TOKEN is not set)" : " (FORGEJO_TOKEN was refused)"));
        }
        if (status / 100 != 2) throw new ApiException(ErrorCode.DOWNLOAD_FAILED, what + ": the forge answered HTTP " + status);
    }
}
