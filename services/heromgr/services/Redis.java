package heromgr.services;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthPolicy;
import heromgr.proc.Reclaim;
import heromgr.proc.Signal;
import heromgr.service.Ctx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * redis: Debian's redis-server on a Unix socket only (port 0: no TCP at all), its configuration written by heromgr
 * under $HERO_HOME/cfg/redis/ at each start, its data (RDB snapshot and append-only file) under $HERO_HOME/var/redis.
 * Healthy when `redis-cli -s SOCK ping` succeeds. SIGTERM makes redis save and exit; 30 s are allowed for that.
 */
final class Redis implements DebianDaemon {
    private final Path system;

    /** Debian's files under /. */
    Redis() {
        this(Path.of("/"));
    }

    /** Debian's files under system (tests point it at a folder without them). */
    Redis(Path system) {
        this.system = system;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String description() {
        return "Redis key-value store (Debian's redis-server) on a Unix socket";
    }

    @Override
    public String debianPackage() {
        return "redis-server";
    }

    @Override
    public String systemAccount() {
        return "redis";
    }

    private Path server() {
        return system.resolve("usr/bin/redis-server");
    }

    private Path cli() {
        return system.resolve("usr/bin/redis-cli");
    }

    @Override
    public List<Path> requiredFiles() {
        return List.of(server(), cli());
    }

    @Override
    public Path rpcSocket(Ctx ctx) {
        return ctx.paths().serviceSocketDir(name()).resolve("redis.sock");
    }

    Path config(Ctx ctx) {
        return ctx.paths().home().resolve("cfg/redis/redis.conf");
    }

    Path dataDir(Ctx ctx) {
        return ctx.paths().home().resolve("var/redis");
    }

    @Override
    public List<ActionSpec> actions(Ctx ctx) {
        Path socket = rpcSocket(ctx);
        return List.of(ActionSpec.process("server", List.of(server().toString(), config(ctx).toString()), env(ctx), dataDir(ctx),
                        logDir(ctx).resolve("server.log"))
                .withRestart(restartPolicy())
                .withStop(Signal.TERM, Duration.ofSeconds(30))
                .withUser(otherUserOrNull(), null)
                .withReclaim(Reclaim.sockets(socket))
                .withLogRotation(logRotation())
                .withHealth(List.of(new HealthCheck.Exec(List.of(cli().toString(), "-s", socket.toString(), "ping"), Duration.ofSeconds(3))),
                        HealthPolicy.defaults()));
    }

    @Override
    public List<ActionStatus> start(Ctx ctx) {
        requirePackage(ErrorCode.START_FAILED);
        ownedDir(dataDir(ctx), "rwx------");
        ownedDir(rpcSocket(ctx).getParent(), "rwxr-x---");
        writeConfig(ctx);
        return DebianDaemon.super.start(ctx);
    }

    /** Rewritten at each start, so the file always says what this class says (edits there do not last). */
    private void writeConfig(Ctx ctx) {
        String text = """
                # written by heromgr (services/Redis.java) at each start: edits here are overwritten
                port 0
                unixsocket "%s"
                unixsocketperm 660
                dir "%s"
                daemonize no
                supervised no
                logfile ""
                appendonly yes
                save 3600 1 300 100 60 10000
                """.formatted(rpcSocket(ctx), dataDir(ctx));
        Path file = config(ctx);
        try {
            ownedDir(file.getParent(), "rwxr-x---");
            Path temp = file.resolveSibling(".redis.conf.tmp");
            Files.writeString(temp, text);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r-----"));
            if (account().isPresent()) account().get().own(temp);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.START_FAILED, name() + ": cannot write " + file + ": " + e.getMessage());
        }
    }

    @Override
    public Map<String, String> env(Ctx ctx) {
        return Map.of();
    }
}
