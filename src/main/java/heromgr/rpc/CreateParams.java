package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.manager.TransientDefinition;
import heromgr.manager.TransientDefinition.HealthSpec;
import heromgr.manager.TransientRestart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * service.create's params as a {@link TransientDefinition}. The schema has checked shapes and types; what it
 * cannot check (the working directory exists, argv[0] is an executable) is checked here, before anything is
 * registered or written, so a bad create leaves no trace and names the field.
 */
final class CreateParams {
    private CreateParams() {
    }

    static TransientDefinition definition(JsonNode p, Path home) {
        Path workDir = p.hasNonNull("work_dir") ? Path.of(p.get("work_dir").asText()).normalize() : null;
        Map<String, String> env = new LinkedHashMap<>();
        p.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        List<String> argv = strings(p.get("argv"));
        Path cwd = workDir == null ? home : workDir;
        if (workDir != null && !Files.isDirectory(workDir)) invalid("work_dir: " + workDir + " is not a directory");
        checkExecutable(argv.getFirst(), cwd, env.getOrDefault("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
        TransientRestart restart = TransientRestart.fromWire(p.get("restart").asText());
        JsonNode h = p.get("health");
        HealthSpec health = h == null || h.isNull() ? null
                : new HealthSpec(Path.of(h.get("unix_socket").asText()), h.hasNonNull("path") ? h.get("path").asText() : null);
        JsonNode t = p.get("restart_tuning");
        TransientDefinition.RestartTuning tuning = t == null || t.isNull() ? null : new TransientDefinition.RestartTuning(
                t.hasNonNull("initial_delay_ms") ? t.get("initial_delay_ms").asLong() : null,
                t.hasNonNull("stable_ms") ? t.get("stable_ms").asLong() : null,
                t.hasNonNull("start_limit") ? t.get("start_limit").asInt() : null);
        try {
            var definition = new TransientDefinition(p.get("name").asText(), argv, env, workDir, restart,
                    strings(p.get("depends_on")), health, Instant.now(), tuning, logRotation(p.get("log_rotation")));
            // the tuning is applied at every start: a combination the policy refuses is refused now, as this call's params
            if (tuning != null) tuning.apply(restart.policy());
            return definition;
        } catch (IllegalArgumentException e) {
            throw invalidParams(e.getMessage());
        }
    }

    /** What was given of the rotation (the schema checked the ranges); null when nothing was. */
    private static TransientDefinition.LogRotationTuning logRotation(JsonNode r) {
        if (r == null || r.isNull()) return null;
        return new TransientDefinition.LogRotationTuning(r.hasNonNull("max_bytes") ? r.get("max_bytes").asLong() : null,
                r.hasNonNull("keep") ? r.get("keep").asInt() : null);
    }

    /** The lookup execvp will do: relative to the working dir when it has a slash, else along PATH. */
    private static void checkExecutable(String program, Path cwd, String path) {
        if (program.contains("/")) {
            if (!isExecutable(cwd.resolve(program))) invalid("argv[0]: " + program + " is not an executable file");
            return;
        }
        for (String dir : path.split(":", -1)) {
            if (isExecutable(cwd.resolve(dir).resolve(program))) return;
        }
        invalid("argv[0]: " + program + " not found on PATH " + path);
    }

    private static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static void invalid(String problem) {
        throw invalidParams(problem);
    }

    private static ApiException invalidParams(String problem) {
        return new ApiException(ErrorCode.INVALID_PARAMS, "invalid params for service.create: " + problem);
    }
}
