package heromgr.services;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.api.InstallMode;
import heromgr.service.BinaryVerifier;
import heromgr.service.BuildResult;
import heromgr.service.Check;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.InstallResult;
import heromgr.service.Role;
import heromgr.service.Verification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A third-party daemon from a Debian package rather than a Hero binary: nothing to build, and `install` only checks
 * that the package's files are there (heromgr never downloads them: the machine's package manager owns them). When the
 * daemon is root it runs as the package's own system account, in folders under $HERO_HOME that account owns. One
 * process (the server role): the package's binary, run as command(ctx, role) in dataDir(ctx), listening on rpcSocket(ctx)
 * only (reclaimed before it starts) and judged by checks(ctx, role), which each daemon says (no GET /health here).
 */
interface DebianDaemon extends HeroService {

    /** The Debian package that ships the files, named in the error when they are missing. */
    String debianPackage();

    /** The system account the package creates; the daemon runs as it when heromgr runs as root. */
    String systemAccount();

    /** The package's files the service needs (absolute); install fails naming the package when one is missing. */
    List<Path> requiredFiles();

    /** The package's server and its arguments, by absolute path. */
    @Override
    List<String> command(Ctx ctx, Role role);

    /** A third-party daemon answers no GET /health: each says how it is asked (its own client, by exec). */
    @Override
    List<Check> checks(Ctx ctx, Role role);

    @Override
    default List<Role> roles() {
        return List.of(Role.SERVER);
    }

    @Override
    default List<Path> roleSockets(Ctx ctx, Role role) {
        return List.of(rpcSocket(ctx));
    }

    /** Its data, under $HERO_HOME/var: the folder it runs in. */
    default Path dataDir(Ctx ctx) {
        return ctx.paths().home().resolve("var").resolve(name());
    }

    @Override
    default Path workDir(Ctx ctx) {
        return dataDir(ctx);
    }

    /** None of Hero's variables: the daemon is configured by its arguments and files. */
    @Override
    default Map<String, String> env(Ctx ctx) {
        return Map.of();
    }

    /** The package's files present, then its data folder (0700) and socket folder (0750), owned by its account. */
    @Override
    default void prepare(Ctx ctx) {
        requirePackage(ErrorCode.START_FAILED);
        ownedDir(dataDir(ctx), "rwx------");
        ownedDir(socketDir(ctx), "rwxr-x---");
    }

    @Override
    default String type() {
        return "debian";
    }

    /** Not a forge repository: named after the package, shown by inspect. */
    @Override
    default String repo() {
        return "debian/" + debianPackage();
    }

    /** Nothing goes into $HERO_HOME/bin: the package's binaries are run where Debian put them. */
    @Override
    default List<String> binaries() {
        return List.of();
    }

    /** The system account when the daemon is root and the account exists; else the daemon's own user. */
    @Override
    default String runtimeUser() {
        return account().map(SystemAccount::name).orElse(System.getProperty("user.name"));
    }

    /** The account to switch to: present only when the daemon is root (only root may switch). */
    default Optional<SystemAccount> account() {
        return SystemAccount.daemonIsRoot() ? SystemAccount.find(systemAccount()) : Optional.empty();
    }

    @Override
    default BuildResult build(Ctx ctx, String profile, boolean force) {
        throw new ApiException(ErrorCode.NOT_APPLICABLE, name() + " runs Debian's " + debianPackage() + ": nothing to build");
    }

    /** Checks the package's files and takes note of their sha256 (in place: nothing is copied), for verify to compare. */
    @Override
    default InstallResult install(Ctx ctx, InstallMode mode, String version, boolean force) {
        requirePackage(ErrorCode.INSTALL_FAILED);
        return ctx.installer().recordInPlace(name(), mode, requiredFiles(), version);
    }

    /** Each of the package's files present, executable and as install noted it (an upgrade of the package shows here). */
    @Override
    default Verification verify(Ctx ctx) {
        return BinaryVerifier.verifyInPlace(this, ctx, requiredFiles(), requiredFiles());
    }

    /** Fails with code, naming the missing file and the package to apt-get install, when one of requiredFiles is absent. */
    default void requirePackage(ErrorCode code) {
        for (Path file : requiredFiles()) {
            if (!Files.isExecutable(file)) {
                throw new ApiException(code, name() + ": " + file + " is missing: install Debian's package with `apt-get install "
                        + debianPackage() + "` (heromgr does not download it)");
            }
        }
    }

    /**
     * Creates dir (and its parents) and gives it mode and, when the daemon runs as root, to the service's account. Every
     * folder above it must let that account through, or the service fails later with a bare "permission denied": the
     * folder that does not is named now.
     */
    default Path ownedDir(Path dir, String mode) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
            Optional<SystemAccount> account = account();
            if (account.isPresent()) {
                account.get().own(dir);
                account.get().blockedOnTheWay(dir).ifPresent(blocked -> {
                    throw new ApiException(ErrorCode.START_FAILED, name() + ": the " + account.get().name() + " account cannot reach "
                            + dir + ": " + blocked + " does not let it through (give it search permission, e.g. chmod o+x " + blocked + ")");
                });
            }
            return dir;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.START_FAILED, name() + ": cannot prepare " + dir + ": " + e.getMessage());
        }
    }
}
