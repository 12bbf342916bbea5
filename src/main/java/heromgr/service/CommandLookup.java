package heromgr.service;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds a command as exec would: an absolute path as it is, a bare name on the PATH of the environment it runs in. */
public final class CommandLookup {
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private CommandLookup() {
    }

    /** The executable file the command names; empty when there is none. */
    public static Optional<Path> find(String command, Map<String, String> env) {
        Path named = Path.of(command);
        if (named.isAbsolute() || command.contains("/")) return Files.isRegularFile(named) && Files.isExecutable(named) ? Optional.of(named) : Optional.empty();
        for (String dir : searchPath(env).split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir).resolve(command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** Why find came back empty, in words: "python3 not found on the PATH (/usr/bin:/bin)". */
    public static String notFound(String command, Map<String, String> env) {
        return Path.of(command).isAbsolute() || command.contains("/") ? command + " is missing or not executable"
                : command + " not found on the PATH (" + searchPath(env) + ")";
    }

    private static String searchPath(Map<String, String> env) {
        return env.getOrDefault("PATH", DEFAULT_PATH);
    }
}
