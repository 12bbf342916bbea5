package heromgr.service;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A script run by its interpreter (sh, python3, ...): {@code <interpreter> <script> args...}. The interpreter is
 * named as a command ("python3", found on the daemon's PATH) or by an absolute path. Install takes note of the
 * script's sha256; verify checks the script against that note and that the interpreter is found; a start without
 * the interpreter is refused, naming it.
 */
public interface ScriptService extends ProgramService {

    /** The interpreter: a command looked up on the daemon's PATH, or an absolute path. */
    String interpreter();

    /** The script, an absolute path. */
    Path script(Ctx ctx);

    @Override
    default String type() {
        return "script";
    }

    /** The interpreter as found; its bare name when it is not (so the start's refusal names it). */
    @Override
    default Path program(Ctx ctx) {
        return interpreterPath(ctx).orElse(Path.of(interpreter()));
    }

    @Override
    default List<String> command(Ctx ctx, Role role) {
        List<String> argv = new ArrayList<>();
        argv.add(program(ctx).toString());
        argv.add(script(ctx).toString());
        argv.addAll(args(ctx, role));
        return argv;
    }

    @Override
    default List<Path> notedFiles(Ctx ctx) {
        return List.of(script(ctx));
    }

    /** The interpreter reads the script: it need not be executable. */
    @Override
    default List<Path> executables(Ctx ctx) {
        return List.of();
    }

    /** The interpreter as exec finds it: an absolute path, or the first of that name on the daemon's PATH. */
    default Optional<Path> interpreterPath(Ctx ctx) {
        return CommandLookup.find(interpreter(), ctx.env());
    }

    private String interpreterMissing(Ctx ctx) {
        return "interpreter " + CommandLookup.notFound(interpreter(), ctx.env());
    }

    @Override
    default Verification verify(Ctx ctx) {
        Verification noted = ProgramService.super.verify(ctx);
        if (interpreterPath(ctx).isPresent()) return noted;
        List<String> problems = new ArrayList<>(noted.problems());
        problems.add(interpreterMissing(ctx));
        return new Verification(noted.name(), false, noted.binaries(), problems);
    }

    /** A start without the interpreter is refused, naming it. */
    @Override
    default void prepare(Ctx ctx) {
        if (interpreterPath(ctx).isEmpty()) throw new ApiException(ErrorCode.START_FAILED, name() + ": " + interpreterMissing(ctx));
    }
}
