package heromgr.services;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.service.Check;
import heromgr.service.Ctx;
import heromgr.service.Role;
import heromgr.service.StopSignal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

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

    @Override
    public List<String> command(Ctx ctx, Role role) {
        return List.of(server().toString(), config(ctx).toString());
    }

    @Override
    public List<Check> checks(Ctx ctx, Role role) {
        return List.of(new Check.Exec(List.of(cli().toString(), "-s", rpcSocket(ctx).toString(), "ping"), Duration.ofSeconds(3)));
    }

    /** Redis saves its data on SIGTERM before it exits: that may take a while on a large set. */
    @Override
    public Duration stopTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public void prepare(Ctx ctx) {
        DebianDaemon.super.prepare(ctx);
        writeConfig(ctx);
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
}
