package heromgr.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import heromgr.fs.JsonCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A Forgejo forge as far as heromgr sees one: the releases API (latest, by tag) of one repository or many,
 * answering real release JSON, and asset downloads serving real bytes, on 127.0.0.1. Faults on demand: a token required, an asset whose
 * connection is cut mid-body, an asset that stalls, an asset served slowly, an asset truncated, a release answered with JSON that is none.
 */
final class FakeForge implements AutoCloseable {
    record Release(String tag, Instant publishedAt, Map<String, byte[]> assets) {
    }

    /** The repository {@link #release(String, Instant, Map)} publishes to. */
    final String repo;
    /** Per repository ("owner/name"), its releases by tag, the latest last. */
    final Map<String, Map<String, Release>> repos = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
    volatile String requiredToken;
    volatile String cutAsset;
    volatile String stallAsset;
    /** Served in SLOW_CHUNK pieces, SLOW_PAUSE apart, so a download takes long enough to report progress along the way. */
    volatile String slowAsset;
    /** Where the release JSON says its assets are (another server's base URL, as an attachment's external URL); null: here. */
    volatile String assetsAt;
    /** Every Authorization header a request brought, with its path. */
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /**
     * Served as a whole response of its first half only: what a client sees of a body cut short when the server gave no
     * length (it ends with the connection), or from a cache holding a truncated copy. The release still names its size.
     */
    volatile String truncatedAsset;
    /** When set, what the releases API answers (200) instead of the release: a broken forge's or a proxy's JSON. */
    volatile String releaseAnswer;
    static final int SLOW_CHUNK = 64 * 1024;
    static final Duration SLOW_PAUSE = Duration.ofMillis(20);
    private final CountDownLatch released = new CountDownLatch(1);
    private final HttpServer server;

    /** A forge of many repositories, each published to with {@link #release(String, String, Instant, Map)}. */
    FakeForge() throws IOException {
        this("");
    }

    FakeForge(String repo) throws IOException {
        this.repo = repo;
        server = loopback(this::handle);
    }

    /** An HTTP server on 127.0.0.1 (a free port) answering every path with handler, one virtual thread a request. */
    static HttpServer loopback(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", handler);
        server.start();
        return server;
    }

    String url() {
        return url(server);
    }

    static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void release(String tag, Instant publishedAt, Map<String, byte[]> assets) {
        release(repo, tag, publishedAt, assets);
    }

    synchronized void release(String ownerRepo, String tag, Instant publishedAt, Map<String, byte[]> assets) {
        repos.computeIfAbsent(ownerRepo, r -> new LinkedHashMap<>()).put(tag, new Release(tag, publishedAt, new LinkedHashMap<>(assets)));
    }

    private synchronized Release find(String ownerRepo, String tag) {
        Map<String, Release> releases = repos.getOrDefault(ownerRepo, Map.of());
        if (!tag.equals("latest")) return releases.get(tag);
        return releases.values().stream().reduce((a, b) -> b).orElse(null);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) authorizations.add(path + " " + authorization);
            if (requiredToken != null && !("token " + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "{\"message\":\"token is required\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            // /api/v1/repos/OWNER/NAME/releases/latest or .../releases/tags/TAG
            String[] p = path.split("/");
            boolean api = p.length >= 7 && path.startsWith("/api/v1/repos/") && p[6].equals("releases");
            String tag = !api ? null : p.length == 8 && p[7].equals("latest") ? "latest" : p.length == 9 && p[7].equals("tags") ? p[8] : null;
            Release found = tag == null ? null : find(p[4] + "/" + p[5], tag);
            if (tag != null && releaseAnswer != null) {
                send(ex, 200, releaseAnswer.getBytes(StandardCharsets.UTF_8));
            } else if (found != null) {
                send(ex, 200, releaseJson(p[4] + "/" + p[5], found));
            } else if (path.startsWith("/download/")) {
                download(ex, path.substring("/download/".length()));
            } else {
                send(ex, 404, "{\"message\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** repoTagAndName: OWNER/NAME/TAG/ASSET. */
    private void download(HttpExchange ex, String repoTagAndName) throws IOException {
        String[] p = repoTagAndName.split("/", 4);
        Release r = p.length < 4 ? null : find(p[0] + "/" + p[1], p[2]);
        String name = p.length < 4 ? "" : p[3];
        byte[] body = r == null ? null : r.assets().get(name);
        if (body == null) {
            send(ex, 404, "{\"message\":\"no such asset\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        downloads.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        if (name.equals(stallAsset)) {
            ex.sendResponseHeaders(200, body.length);
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        if (name.equals(slowAsset)) {
            ex.sendResponseHeaders(200, body.length);
            OutputStream out = ex.getResponseBody();
            for (int at = 0; at < body.length; at += SLOW_CHUNK) {
                out.write(body, at, Math.min(SLOW_CHUNK, body.length - at));
                out.flush();
                // pacing a server, not waiting for anything: the client sees a slow forge
                LockSupport.parkNanos(SLOW_PAUSE.toNanos());
            }
            return;
        }
        if (name.equals(truncatedAsset)) {
            send(ex, 200, Arrays.copyOf(body, body.length / 2));
            return;
        }
        if (name.equals(cutAsset)) {
            ex.sendResponseHeaders(200, body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            // closing the exchange now cuts the body short of its declared length
            return;
        }
        send(ex, 200, body);
    }

    private byte[] releaseJson(String ownerRepo, Release r) throws IOException {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("id", Math.abs(r.tag().hashCode()));
        json.put("tag_name", r.tag());
        json.put("name", "Release " + r.tag());
        json.put("draft", false);
        json.put("prerelease", false);
        json.put("published_at", r.publishedAt().toString());
        ArrayNode assets = json.putArray("assets");
        int id = 1;
        for (var e : r.assets().entrySet()) {
            ObjectNode a = assets.addObject();
            a.put("id", id++);
            a.put("name", e.getKey());
            a.put("size", e.getValue().length);
            a.put("uuid", UUID.nameUUIDFromBytes(e.getKey().getBytes(StandardCharsets.UTF_8)).toString());
            a.put("browser_download_url", (assetsAt == null ? url() : assetsAt) + "/download/" + ownerRepo + "/" + r.tag() + "/" + e.getKey());
        }
        return JsonCodec.MAPPER.writeValueAsBytes(json);
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
