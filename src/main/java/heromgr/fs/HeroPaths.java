package heromgr.fs;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Hero conventions put things. HERO_HOME defaults to ~/hero; HERO_SOCKET_DIR to $HERO_HOME/var/sockets;
 * CODEROOT to ~/code. An explicit home (--home, for sandboxes and tests) replaces HERO_HOME and puts the sockets
 * under it too, so a sandbox never touches the real ~/hero.
 */
public record HeroPaths(Path home, Path socketDir, Path codeRoot) {
    /** The daemon's own name: its socket folder and log folder are named so, so no service may be. */
    public static final String DAEMON = "heromgr";

    public static HeroPaths fromEnvironment(Map<String, String> env, Path explicitHome) {
        // $HOME as a shell reads ~ (the JVM's user.home is the password file's, whatever HOME says)
        String homeVar = env.get("HOME");
        Path userHome = Path.of(homeVar == null || homeVar.isBlank() ? System.getProperty("user.home") : homeVar);
        Path home;
        Path sockets;
        if (explicitHome != null) {
            home = explicitHome.toAbsolutePath().normalize();
            sockets = home.resolve("var/sockets");
        } else {
            home = pathOr(env.get("HERO_HOME"), userHome.resolve("hero"));
            sockets = pathOr(env.get("HERO_SOCKET_DIR"), home.resolve("var/sockets"));
        }
        Path code = pathOr(env.get("CODEROOT"), userHome.resolve("code"));
        return new HeroPaths(home, sockets, code);
    }

    private static Path pathOr(String value, Path fallback) {
        return value == null || value.isBlank() ? fallback : Path.of(value).toAbsolutePath().normalize();
    }

    public Path bin() {
        return home.resolve("bin");
    }

    /** heromgr's own state: install records, runtime state, the operation log. */
    public Path state() {
        return home.resolve("var/heromgr");
    }

    public Path logs() {
        return home.resolve("var/log");
    }

    /**
     * The first folder on the way from home down to path (home itself excluded, path included) that is a symbolic
     * link; empty when there is none or path is not under home. A link there could lead a write out of home.
     */
    public Optional<Path> linkOnTheWay(Path path) {
        Path target = path.toAbsolutePath().normalize();
        if (!target.startsWith(home)) return Optional.empty();
        Path at = home;
        for (Path name : home.relativize(target)) {
            at = at.resolve(name);
            BasicFileAttributes found = attributesIfAny(at);
            // nothing is below a missing folder: a new service's log folder ends the walk (its log was looked up too,
            // each look a caught NoSuchFileException with the stack trace of a deep virtual thread)
            if (found == null) return Optional.empty();
            if (found.isSymbolicLink()) return Optional.of(at);
        }
        return Optional.empty();
    }

    /** What is at path itself (a link not followed); null when nothing is, or it cannot be read (as isSymbolicLink said). */
    private static BasicFileAttributes attributesIfAny(Path path) {
        try {
            return path.getFileSystem().provider().readAttributesIfExists(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    public Path serviceLogs(String service) {
        return logs().resolve(service);
    }

    public Path daemonLogs() {
        return logs().resolve(DAEMON);
    }

    public Path serviceSocketDir(String service) {
        return socketDir.resolve(service);
    }

    /** The manager's own endpoint: $HERO_SOCKET_DIR/heromgr/service.sock. */
    public Path managerSocket() {
        return serviceSocketDir(DAEMON).resolve("service.sock");
    }
}
