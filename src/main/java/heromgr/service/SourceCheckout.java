package heromgr.service;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.DirectoryTree;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A service's source checkout, cloned when it is missing: {@code git clone $FORGEJO_URL/<owner>/<repo>.git} into
 * $CODEROOT/<owner>/<repo>. An existing checkout is used as it is (never pulled: it may hold someone's work). The clone
 * goes into a temp folder beside the target and is renamed into place only once complete, so a failed clone leaves no
 * half checkout. FORGEJO_TOKEN travels as an {@code Authorization: token …} header set through git's environment
 * (GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n), never in the URL or the argv (both of which other users can read in
 * /proc), and is blanked from any output heromgr reports. git runs without a shell and never prompts.
 */
public final class SourceCheckout {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final int OUTPUT_TAIL = 30;

    private final String forge;
    private final String token;
    private final Map<String, String> env;
    private final Path logs;
    private final Duration timeout;

    SourceCheckout(String forge, String token, Map<String, String> env, Path logs, Duration timeout) {
        this.forge = forge.endsWith("/") ? forge.substring(0, forge.length() - 1) : forge;
        this.token = token == null || token.isBlank() ? null : token;
        this.env = env;
        this.logs = logs;
        this.timeout = timeout;
    }

    /** From the daemon's environment: FORGEJO_URL, FORGEJO_TOKEN, HEROMGR_CLONE_TIMEOUT_MS. */
    public static SourceCheckout of(Ctx ctx) {
        Map<String, String> env = ctx.env();
        String ms = env.get("HEROMGR_CLONE_TIMEOUT_MS");
        return new SourceCheckout(env.getOrDefault("FORGEJO_URL", ForgeClient.DEFAULT_URL), env.get("FORGEJO_TOKEN"), env,
                ctx.paths().state().resolve("builds"), ms == null ? DEFAULT_TIMEOUT : Duration.ofMillis(Long.parseLong(ms)));
    }

    /** The URL a repository is cloned from. */
    public String url(String ownerRepo) {
        return forge + "/" + ownerRepo + ".git";
    }

    /** Clones ownerRepo into dir unless dir exists; true when this call cloned it. */
    public boolean ensure(String service, String ownerRepo, Path dir) {
        if (Files.exists(dir)) return false;
        String url = url(ownerRepo);
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".clone-" + UUID.randomUUID());
        Path log = logs.resolve(service + ".clone.log");
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectories(logs);
            run(service, url, tmp, log);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
            return false;   // another build of the same repository put its clone in place first: that one is used
        } catch (IOException e) {
            throw new ApiException(ErrorCode.BUILD_FAILED, service + ": cannot clone " + url + " into " + dir + ": " + e.getMessage(), null, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private void run(String service, String url, Path tmp, Path log) throws IOException {
        var pb = new ProcessBuilder(List.of(gitExecutable(), "clone", "--quiet", "--", url, tmp.toString()))
                .directory(tmp.getParent().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(childEnv());
        Process p = pb.start();
        p.getOutputStream().close();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw failure(service, url, "did not finish within " + timeout.toMillis() + " ms", log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw failure(service, url, "was interrupted", log);
        }
        if (p.exitValue() != 0) throw failure(service, url, "failed with exit code " + p.exitValue(), log);
    }

    /**
     * The daemon's environment, minus what would make git print the request (its traces show headers), plus the token
     * header and no prompts: a daemon has nobody to ask for a password.
     */
    private Map<String, String> childEnv() {
        Map<String, String> child = new HashMap<>(env);
        child.keySet().removeIf(k -> k.startsWith("GIT_TRACE") || k.equals("GIT_CURL_VERBOSE"));
        child.put("GIT_TERMINAL_PROMPT", "0");
        child.put("GIT_ASKPASS", "/bin/false");
        child.put("SSH_ASKPASS", "/bin/false");
        if (token != null) {
            int n = Integer.parseInt(child.getOrDefault("GIT_CONFIG_COUNT", "0"));
            child.put("GIT_CONFIG_KEY_" + n, "http.extraHeader");
            child.put("GIT_CONFIG_VALUE_" + n, "Authorization: token " + token);
            child.put("GIT_CONFIG_COUNT", Integer.toString(n + 1));
        }
        return child;
    }

    private ApiException failure(String service, String url, String what, Path log) {
        String hint = token == null ? " (FORGEJO_TOKEN is not set)" : "";
        return new ApiException(ErrorCode.BUILD_FAILED, service + ": git clone of " + url + " " + what + hint,
                Map.of("output", tail(log), "log", log.toString()), null);
    }

    private List<String> tail(Path log) {
        List<String> lines = CargoBuild.tail(log);
        List<String> last = lines.subList(Math.max(0, lines.size() - OUTPUT_TAIL), lines.size());
        return token == null ? List.copyOf(last) : last.stream().map(l -> l.replace(token, "********")).toList();
    }

    private String gitExecutable() {
        for (String d : env.getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "git"))) return Path.of(d, "git").toString();
        }
        return "git";
    }

    private static void deleteQuietly(Path dir) {
        try {
            DirectoryTree.delete(dir);
        } catch (IOException ignored) {
            // a leftover hidden temp folder beside the checkout harms nothing; the next clone uses another name
        }
    }
}
