package heromgr.service;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.api.InstallMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A service that runs a program already on the machine: a released executable unpacked somewhere, or one another
 * tool installed; not built with cargo and not fetched from the forge. It runs where it is, as one action
 * ("server") of program(ctx) and args(ctx, Role.SERVER). Install takes note of its files' sha256 (nothing is
 * copied), verify checks them against that note; build is not applicable. Health comes from what it serves:
 * tcpPorts(ctx, Role.SERVER) and roleSockets(ctx, Role.SERVER), none by default (healthy while it runs).
 */
public interface ProgramService extends HeroService {

    /** The executable, an absolute path (under $HERO_HOME or anywhere else on the machine). */
    Path program(Ctx ctx);

    @Override
    default String type() {
        return "program";
    }

    /** No forge repository: the program comes from elsewhere. */
    @Override
    default String repo() {
        return null;
    }

    @Override
    default Path sourceDir(Ctx ctx) {
        return null;
    }

    @Override
    default List<Role> roles() {
        return List.of(Role.SERVER);
    }

    /** Nothing goes into $HERO_HOME/bin: the program runs where it is. */
    @Override
    default List<String> binaries() {
        return List.of();
    }

    /** Serves no socket unless it says so (a program that does returns them here and is probed on each). */
    @Override
    default List<Path> roleSockets(Ctx ctx, Role role) {
        return List.of();
    }

    @Override
    default List<String> command(Ctx ctx, Role role) {
        List<String> argv = new ArrayList<>();
        argv.add(program(ctx).toString());
        argv.addAll(args(ctx, role));
        return argv;
    }

    /** The files install takes note of and verify checks: the program itself. */
    default List<Path> notedFiles(Ctx ctx) {
        return List.of(program(ctx));
    }

    /** The noted files that must be executable. */
    default List<Path> executables(Ctx ctx) {
        return List.of(program(ctx));
    }

    @Override
    default BuildResult build(Ctx ctx, String profile, boolean force) {
        throw new ApiException(ErrorCode.NOT_APPLICABLE, name() + " runs " + program(ctx) + ", which heromgr does not build: nothing to build");
    }

    /** Notes the sha256 of each file, in place; a missing file or a program that cannot be executed is refused, named. */
    @Override
    default InstallResult install(Ctx ctx, InstallMode mode, String version, boolean force) {
        for (Path file : notedFiles(ctx)) {
            if (!Files.isRegularFile(file)) {
                throw new ApiException(ErrorCode.INSTALL_FAILED, name() + ": " + file + " is missing: heromgr runs it where it is, put it there first");
            }
        }
        for (Path file : executables(ctx)) {
            if (!Files.isExecutable(file)) throw new ApiException(ErrorCode.INSTALL_FAILED, name() + ": " + file + " is not executable");
        }
        return ctx.installer().recordInPlace(baseName(), mode, notedFiles(ctx), version);
    }

    @Override
    default Verification verify(Ctx ctx) {
        return BinaryVerifier.verifyInPlace(this, ctx, notedFiles(ctx), executables(ctx));
    }
}
