package heromgr.manager;

import heromgr.manager.Results.StatusReport;
import heromgr.proc.ActionSpec;
import heromgr.proc.HealthCheck;
import heromgr.fs.LogFiles;
import heromgr.fs.LogStream;
import heromgr.proc.LogRotation;
import heromgr.service.Artifact;
import heromgr.service.BuildResult;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.OnnxRuntimeOverlay;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;

/** What service.inspect shows: everything a service class resolves to, with secrets redacted. */
final class ServiceInspector {

    private final Ctx ctx;

    ServiceInspector(Ctx ctx) {
        this.ctx = ctx;
    }

    Map<String, Object> inspect(HeroService s, StatusReport runtime, List<OperationLog.Entry> lastOperations,
                                Results.LastChange lastChange) {
        var out = new LinkedHashMap<String, Object>();
        out.put("name", s.name());
        out.put("type", s.type());
        out.put("description", s.description());
        out.put("repo", s.repo());
        out.put("repository_path", s.sourceDir(ctx));
        out.put("build_profile", s.buildProfile());
        out.put("binaries", binaries(s));
        out.put("install_path", ctx.paths().bin());
        out.put("runtime_user", s.runtimeUser());
        out.put("env", Redaction.env(s.env(ctx)));
        out.put("sockets", s.sockets(ctx));
        out.put("log_path", s.logDir(ctx));
        out.put("health_checks", s.healthChecks(ctx).stream().map(ServiceInspector::check).toList());
        out.put("depends_on", s.dependsOn());
        out.put("restart_policy", s.restartPolicy());
        out.put("actions", s.actions(ctx).stream().map(a -> action(s.name(), a)).toList());
        out.put("installed", ctx.installer().record(s.baseName()).orElse(null));
        out.put("overlays", s.overlays().stream().map(this::overlay).toList());
        out.put("last_build", ctx.cargo().lastBuild(s.baseName()).orElse(null));
        out.put("runtime", runtime);
        out.put("last_operations", lastOperations);
        out.put("last_change", lastChange);
        return out;
    }

    private List<Map<String, Object>> binaries(HeroService s) {
        // a service without binaries (transient) may have no source dir either
        if (s.binaries().isEmpty()) return List.of();
        List<Path> outputs = ctx.cargo().artifacts(s.sourceDir(ctx), s.buildProfile(), s.binaries());
        var built = ctx.cargo().lastBuild(s.baseName()).map(BuildResult::binaries).orElse(List.of());
        return outputs.stream().map(p -> {
            var m = new LinkedHashMap<String, Object>();
            m.put("name", p.getFileName().toString());
            m.put("build_output", p);
            m.put("install_path", ctx.paths().bin().resolve(p.getFileName()));
            m.put("built_sha256", built.stream().filter(a -> a.path().equals(p)).map(Artifact::sha256).findFirst().orElse(null));
            return (Map<String, Object>) m;
        }).toList();
    }

    private Map<String, Object> action(String service, ActionSpec a) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", a.name());
        m.put("kind", a.kind());
        m.put("argv", a.argv());
        m.put("env", Redaction.env(a.env()));
        m.put("work_dir", a.workDir());
        m.put("stop_signal", "SIG" + a.stopSignal().name());
        m.put("stop_timeout_ms", a.stopTimeout().toMillis());
        m.put("log_file", a.logFile());
        m.put("log_rotation", a.logRotation());
        m.put("log_files", logFiles(a.logFile()));
        m.put("restart", a.restart());
        m.put("reclaim", a.reclaim());
        m.put("health_checks", a.health().stream().map(ServiceInspector::check).toList());
        m.put("health_policy", a.healthPolicy());
        m.put("user", a.user());
        m.put("group", a.group());
        m.put("limits", a.limits());
        m.put("cgroup", ctx.supervisor().controlGroup(service, a.name()).orElse(null));
        return m;
    }

    /** The live log and the rotated ones on disk, newest first, then the same of its stderr: where to look for older lines. */
    private static List<Path> logFiles(Path log) {
        var files = new ArrayList<Path>();
        for (LogStream stream : LogStream.values()) {
            Path file = LogFiles.of(log, stream);
            files.add(file);
            files.addAll(LogRotation.rotatedFiles(file));
        }
        return files;
    }

    private Map<String, Object> overlay(OnnxRuntimeOverlay o) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", "onnxruntime");
        m.put("version", o.version());
        m.put("repo", o.repo());
        m.put("asset", o.asset());
        m.put("library", o.library(ctx.paths()));
        m.put("installed", o.installed(ctx.paths()).orElse(null));
        return m;
    }

    private static Map<String, Object> check(HealthCheck c) {
        var m = new LinkedHashMap<String, Object>();
        m.put("kind", c.kind());
        m.put("target", c.target());
        m.put("timeout_ms", c.timeout().toMillis());
        return m;
    }

}
