package heromgr.proc.cgroup;

import heromgr.proc.ResourceUsage;
import heromgr.proc.os.ProcTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One daemon's cgroups: a cgroup v2 directory under the daemon's own cgroup, named after its state file
 * (heromgr-&lt;12 hex of a hash of the path&gt;: many daemons with their own homes run side by side), with one leaf per
 * action (&lt;service&gt;.&lt;action&gt;). The names are deterministic, so a daemon restarted on the same state file finds
 * the cgroups its adopted processes still sit in. Without cgroup v2, or without the right to make a cgroup there
 * (non-root without delegation), every action gets {@link Containment.None}: stops reach what they reached before.
 */
public final class ControlGroups {
    private static final Logger log = LoggerFactory.getLogger(ControlGroups.class);
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path OWN_CGROUP = Path.of("/proc/self/cgroup");

    /** null: no cgroups, every action gets None. */
    private final Path dir;
    private final List<ControlGroup> leaves = new CopyOnWriteArrayList<>();

    private ControlGroups(Path dir) {
        this.dir = dir;
    }

    /** Under the daemon's own cgroup v2 cgroup, found from /proc; owner: the state file's path (null: memory only). */
    public static ControlGroups detect(String owner) {
        try {
            return under(ownCgroup(), owner);
        } catch (IOException e) {
            return without(e.getMessage());
        }
    }

    /** What a spawn into a cgroup needs besides the spawn itself, for a cold daemon to do ahead of its first spawn. */
    public static void rehearseSpawn() {
        CgroupSpawn.rehearse();
    }

    /** Under parent, which must be a cgroup v2 directory the daemon may make cgroups in. */
    public static ControlGroups under(Path parent, String owner) {
        if (!Files.isRegularFile(parent.resolve("cgroup.controllers"))) {
            return without(parent + " is not a cgroup v2 directory");
        }
        Path dir = parent.resolve(directoryName(owner != null ? owner : "memory-" + UUID.randomUUID()));
        try {
            Files.createDirectories(dir);
            return new ControlGroups(dir);
        } catch (IOException e) {
            return without("cannot create " + dir + ": " + e);
        }
    }

    /**
     * Empty directories of daemons that were killed (SIGKILL: no exit to remove them) would pile up over test runs.
     * rmdir only succeeds on a cgroup without leaves, and a daemon makes its directory again with its next leaf.
     * Not part of the set-up: with ~650 such directories beside it (a shared test machine) the failed rmdirs were
     * ~50 ms of a daemon's start; the daemon runs this once it serves.
     */
    public void removeAbandoned() {
        if (dir != null) removeAbandoned(dir.getParent(), dir);
    }

    private static void removeAbandoned(Path parent, Path own) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, "heromgr-*")) {
            for (Path dir : dirs) {
                if (!dir.equals(own)) rmdirIfEmpty(dir);
            }
        } catch (IOException e) {
            // nothing to tidy
        }
    }

    private static ControlGroups without(String why) {
        log.info("no cgroup per action ({}): a stop reaches the process group and the tree under the main process only", why);
        return new ControlGroups(null);
    }

    /** The daemon's own cgroup: its "0::" line of /proc/self/cgroup, under the cgroup2 mount found in mountinfo. */
    private static Path ownCgroup() throws IOException {
        String own = null;
        for (String line : ProcTable.read(OWN_CGROUP).split("\n")) {
            if (line.startsWith("0::")) own = line.substring(3).strip();
        }
        if (own == null) throw new IOException("no cgroup v2 line in " + OWN_CGROUP);
        for (String line : ProcTable.read(MOUNTINFO).split("\n")) {
            // mountinfo(5): id parent major:minor root mountpoint options [optional fields] - fstype source super-options
            int dash = line.indexOf(" - ");
            if (dash < 0 || !line.substring(dash + 3).startsWith("cgroup2 ")) continue;
            String[] f = line.substring(0, dash).split(" ");
            String root = unescape(f[3]);
            // a mount of a subtree (cgroup namespaces, containers) shows only what lies under its root
            if (!own.equals(root) && !own.startsWith(root.endsWith("/") ? root : root + "/")) continue;
            String relative = own.substring(root.length()).replaceFirst("^/+", "");
            return Path.of(unescape(f[4])).resolve(relative);
        }
        throw new IOException("no cgroup2 mount in " + MOUNTINFO);
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040). */
    private static String unescape(String field) {
        var out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** heromgr-&lt;the first 12 hex digits of the SHA-256 of the state file's path&gt;. */
    static String directoryName(String owner) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(owner.getBytes(StandardCharsets.UTF_8));
            return "heromgr-" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The daemon's directory; empty without cgroups. */
    Optional<Path> directory() {
        return Optional.ofNullable(dir);
    }

    /** The action's leaf, made on its first spawn; None without cgroups or for a name that cannot be a directory. */
    public Containment forAction(String service, String action) {
        Optional<Path> leaf = leafPath(service, action);
        if (leaf.isEmpty()) return new Containment.None();
        var group = new ControlGroup(leaf.get());
        leaves.add(group);
        return group;
    }

    /** Where the action's leaf is (made or not yet); empty without cgroups. */
    public Optional<Path> leafPath(String service, String action) {
        if (dir == null || !isPlainName(service) || !isPlainName(action)) return Optional.empty();
        return Optional.of(dir.resolve(service + "." + action));
    }

    /**
     * The counters of the action's leaf: cpu.stat's usage_usec (every cgroup v2 has it), and memory.current where
     * the memory controller is enabled for the daemon's directory, else the sum of its members' resident memory.
     * Empty when it has no leaf yet (made at the first spawn, removed at a stop) or it cannot be read.
     */
    public Optional<ResourceUsage> usage(String service, String action) {
        Optional<Path> leaf = leafPath(service, action);
        if (leaf.isEmpty()) return Optional.empty();
        try {
            long cpu = -1;
            for (String line : ProcTable.read(leaf.get().resolve("cpu.stat")).split("\n")) {
                if (line.startsWith("usage_usec ")) cpu = Long.parseLong(line.substring("usage_usec ".length()).trim());
            }
            return cpu < 0 ? Optional.empty() : Optional.of(new ResourceUsage(cpu, memory(leaf.get()), true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long memory(Path leaf) throws IOException {
        Path current = leaf.resolve("memory.current");
        if (Files.exists(current)) return Long.parseLong(ProcTable.read(current).trim());
        long sum = 0;
        for (String pid : ProcTable.read(leaf.resolve("cgroup.procs")).split("\n")) {
            if (!pid.isBlank()) sum += ProcTable.stat(Long.parseLong(pid.trim())).map(ProcTable.Stat::rssBytes).orElse(0L);
        }
        return sum;
    }

    /** Names are validated upstream; this keeps a path from ever being built out of one that is not a plain name. */
    private static boolean isPlainName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\0') < 0
                && name.length() <= 120;
    }

    /**
     * The daemon exits: empty leaves go (rmdir succeeds only on an empty cgroup, so those of processes left running
     * for the next daemon stay), then the directory if nothing is left in it.
     */
    public void close() {
        if (dir == null) return;
        for (ControlGroup leaf : leaves) leaf.remove();
        // leaves of services this daemon never ran (a predecessor's, since deleted) go too when empty
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path entry : entries) rmdirIfEmpty(entry);
        } catch (IOException e) {
            // gone already
        }
        rmdirIfEmpty(dir);
    }

    private static void rmdirIfEmpty(Path cgroup) {
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException e) {
            log.debug("{} kept: {}", cgroup, e.getMessage()); // processes still inside, left to the next daemon
        }
    }
}
