package heromgr.services;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.service.Check;
import heromgr.service.Ctx;
import heromgr.service.Role;
import heromgr.service.StopSignal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * postgresql: Debian's server binaries (/usr/lib/postgresql/MAJOR/bin, the newest major installed) on a cluster of its
 * own under $HERO_HOME/var/postgresql, made once by initdb as the postgres account (the daemon's own user when heromgr
 * is not root). Unix socket only (listen_addresses empty) in $HERO_SOCKET_DIR/postgresql, local logins by peer
 * authentication. Healthy when pg_isready says it accepts connections. Stopped with SIGINT (PostgreSQL's fast shutdown:
 * sessions are ended, the data is flushed), 60 s allowed before SIGKILL.
 */
final class Postgresql implements DebianDaemon {
    /** The port only names the socket file (.s.PGSQL.5432): there is no TCP listener. */
    static final int PORT = 5432;
    private static final Duration INITDB_LIMIT = Duration.ofMinutes(2);
    private final Path system;

    Postgresql() {
        this(Path.of("/"));
    }

    /** Debian's files under system (tests point it at a folder without them). */
    Postgresql(Path system) {
        this.system = system;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String description() {
        return "PostgreSQL database (Debian's server binaries) on a Unix socket";
    }

    @Override
    public String debianPackage() {
        return "postgresql";
    }

    @Override
    public String systemAccount() {
        return "postgres";
    }

    /** The newest major's bin folder; when none is installed, a path that names what is missing. */
    Path binDir() {
        Path versions = system.resolve("usr/lib/postgresql");
        try (var dirs = Files.list(versions)) {
            Optional<Path> newest = dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .filter(d -> Files.isExecutable(d.resolve("bin/postgres")))
                    .max(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString())));
            if (newest.isPresent()) return newest.get().resolve("bin");
        } catch (IOException e) {
            // no postgresql at all: the path below names what install and start look for
        }
        return versions.resolve("MAJOR/bin");
    }

    @Override
    public List<Path> requiredFiles() {
        Path bin = binDir();
        return List.of(bin.resolve("postgres"), bin.resolve("initdb"), bin.resolve("pg_isready"));
    }

    @Override
    public Path rpcSocket(Ctx ctx) {
        return socketDir(ctx).resolve(".s.PGSQL." + PORT);
    }

    @Override
    public List<String> command(Ctx ctx, Role role) {
        return List.of(binDir().resolve("postgres").toString(), "-D", dataDir(ctx).toString(),
                "-c", "listen_addresses=", "-c", "port=" + PORT,
                "-c", "unix_socket_directories=" + socketDir(ctx), "-c", "unix_socket_permissions=0770");
    }

    @Override
    public List<Check> checks(Ctx ctx, Role role) {
        return List.of(new Check.Exec(List.of(binDir().resolve("pg_isready").toString(), "-h", socketDir(ctx).toString(),
                "-p", String.valueOf(PORT), "-t", "3"), Duration.ofSeconds(5)));
    }

    /** PostgreSQL's fast shutdown: sessions are ended, the data is flushed. */
    @Override
    public StopSignal stopSignal() {
        return StopSignal.INT;
    }

    @Override
    public Duration stopTimeout() {
        return Duration.ofSeconds(60);
    }

    /** The cluster is made once, by the first start. */
    @Override
    public void prepare(Ctx ctx) {
        DebianDaemon.super.prepare(ctx);
        if (!Files.exists(dataDir(ctx).resolve("PG_VERSION"))) initdb(ctx);
    }

    /** Makes the cluster, once: its output goes to initdb.log beside the server's log. */
    private void initdb(Ctx ctx) {
        Path log = logDir(ctx).resolve("initdb.log");
        var command = new ArrayList<String>();
        account().ifPresent(a -> command.addAll(List.of("/usr/bin/setpriv", "--reuid=" + a.uid(), "--regid=" + a.gid(), "--init-groups")));
        command.addAll(List.of(binDir().resolve("initdb").toString(), "-D", dataDir(ctx).toString(),
                "--auth-local=peer", "--auth-host=reject", "-E", "UTF8", "--locale=C.UTF-8"));
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).directory(dataDir(ctx).toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(INITDB_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ApiException(ErrorCode.START_FAILED, name() + ": initdb did not finish within " + INITDB_LIMIT.toSeconds() + " s; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new ApiException(ErrorCode.START_FAILED, name() + ": initdb failed (exit " + p.exitValue() + "): " + lastLines(log));
            }
        } catch (IOException e) {
            throw new ApiException(ErrorCode.START_FAILED, name() + ": cannot run initdb: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.START_FAILED, name() + ": interrupted while initdb ran");
        }
    }

    private static String lastLines(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
