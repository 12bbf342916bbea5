package heromgr.service;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.AtomicFile;
import heromgr.fs.DamagedCopies;
import heromgr.fs.FileDigest;
import heromgr.fs.JsonCodec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds Rust crates with {@code cargo build --profile P}, honouring CARGO_TARGET_DIR, and remembers each
 * service's last successful build so that install takes exactly what the build produced.
 */
public final class CargoBuild {
    static final int FAILURE_TAIL_LINES = 200;
    private static final Pattern VERSION = Pattern.compile("^\\s*version\\s*=\\s*\"([^\"]+)\"");
    

    private final Path buildsDir;
    private final Map<String, String> env;
    private final BuildOutput output;

    public CargoBuild(Path stateDir, Map<String, String> env) {
        this(stateDir.resolve("builds"), Map.copyOf(env), BuildOutput.NONE);
    }

    private CargoBuild(Path buildsDir, Map<String, String> env, BuildOutput output) {
        this.buildsDir = buildsDir;
        this.env = env;
        this.output = output;
    }

    /** This build library for one operation, telling output each line of cargo's as it comes. */
    public CargoBuild reporting(BuildOutput newOutput) {
        return new CargoBuild(buildsDir, env, newOutput);
    }

    public BuildResult build(String service, Path crateDir, String profile, List<String> binaries, boolean force) {
        if (!Files.isRegularFile(crateDir.resolve("Cargo.toml"))) {
            throw new ApiException(ErrorCode.BUILD_FAILED, service + ": no Cargo.toml in " + crateDir);
        }
        long t0 = System.nanoTime();
        List<Path> outputs = artifacts(crateDir, profile, binaries);
        Path log = outputLog(service);
        if (!force && upToDate(crateDir, outputs)) {
            return record(service, profile, outputs, t0, true, log);
        }
        runCargo(service, crateDir, profile, log);
        for (Path p : outputs) {
            if (!Files.isRegularFile(p)) {
                throw new ApiException(ErrorCode.BUILD_FAILED, service + ": cargo succeeded but " + p + " was not produced");
            }
        }
        return record(service, profile, outputs, t0, false, log);
    }

    /** The file holding the full output of the service's latest cargo run. */
    public Path outputLog(String service) {
        return buildsDir.resolve(service + ".log");
    }

    /** Where cargo puts the binaries of this crate for this profile. */
    public List<Path> artifacts(Path crateDir, String profile, List<String> binaries) {
        Path dir = targetDir(crateDir).resolve("dev".equals(profile) ? "debug" : profile);
        return binaries.stream().map(dir::resolve).toList();
    }

    public Path targetDir(Path crateDir) {
        String t = env.get("CARGO_TARGET_DIR");
        return t == null || t.isBlank() ? crateDir.resolve("target") : Path.of(t);
    }

    public Optional<BuildResult> lastBuild(String service) {
        return DamagedCopies.readRecord(buildsDir.resolve(service + ".json"), BuildResult.class);
    }

    /** The [package] version from Cargo.toml, or "unknown". */
    public String crateVersion(Path crateDir) {
        try {
            for (String line : Files.readAllLines(crateDir.resolve("Cargo.toml"))) {
                Matcher m = VERSION.matcher(line);
                if (m.find()) return m.group(1);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private void runCargo(String service, Path crateDir, String profile, Path log) {
        List<String> cmd = List.of(cargoExecutable(), "build", "--profile", profile);
        try {
            Files.createDirectories(buildsDir);
            var pb = new ProcessBuilder(cmd).directory(crateDir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            copyOutput(p, log);
            int code = p.waitFor();
            if (code != 0) {
                throw new ApiException(ErrorCode.BUILD_FAILED,
                        service + ": cargo build --profile " + profile + " failed with exit code " + code,
                        Map.of("output", tail(log), "log", log.toString()), null);
            }
        } catch (IOException e) {
            throw new ApiException(ErrorCode.BUILD_FAILED, service + ": cannot run " + cmd.getFirst() + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.BUILD_FAILED, service + ": build interrupted");
        }
    }

    /** cargo's output, line by line as it comes, into the log file and to whoever watches the operation. */
    private void copyOutput(Process cargo, Path log) throws IOException {
        try (var lines = cargo.inputReader(StandardCharsets.UTF_8);
             var file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                file.write(line);
                file.newLine();
                output.line(line);
            }
        }
    }

    private String cargoExecutable() {
        for (String dir : env.getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "cargo"))) return Path.of(dir, "cargo").toString();
        }
        Path rustup = Path.of(System.getProperty("user.home"), ".cargo/bin/cargo");
        return Files.isExecutable(rustup) ? rustup.toString() : "cargo";
    }

    private BuildResult record(String service, String profile, List<Path> outputs, long t0, boolean skipped, Path log) {
        try {
            List<Artifact> arts = new ArrayList<>();
            for (Path p : outputs) arts.add(new Artifact(p, FileDigest.sha256(p)));
            var result = new BuildResult(service, profile, arts, (System.nanoTime() - t0) / 1_000_000, skipped, log.toString());
            AtomicFile.write(buildsDir.resolve(service + ".json"), JsonCodec.MAPPER.writeValueAsBytes(result));
            return result;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.BUILD_FAILED, service + ": cannot record build: " + e.getMessage(), null, e);
        }
    }

    /** True when every output exists and is newer than every source file (target/ and .git excluded). */
    private boolean upToDate(Path crateDir, List<Path> outputs) {
        try {
            long oldestOutput = Long.MAX_VALUE;
            for (Path p : outputs) {
                if (!Files.isRegularFile(p)) return false;
                oldestOutput = Math.min(oldestOutput, Files.getLastModifiedTime(p).toMillis());
            }
            return newestSource(crateDir) < oldestOutput;
        } catch (IOException e) {
            return false;
        }
    }

    /** The newest modification time of the crate's files, target/ and dot-folders excluded. */
    public static long newestSource(Path crateDir) throws IOException {
        long[] newest = {0};
        Files.walkFileTree(crateDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String n = dir.getFileName().toString();
                return !dir.equals(crateDir) && (n.equals("target") || n.startsWith(".")) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                newest[0] = Math.max(newest[0], attrs.lastModifiedTime().toMillis());
                return FileVisitResult.CONTINUE;
            }
        });
        return newest[0];
    }

    static List<String> tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return List.copyOf(lines.subList(Math.max(0, lines.size() - FAILURE_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return List.of("(build output unreadable: " + e.getMessage() + ")");
        }
    }
}
