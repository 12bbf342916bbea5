package heromgr.proc.cgroup;

import heromgr.proc.os.PidFd;
import heromgr.proc.os.PosixSignals;
import heromgr.proc.os.PosixSpawn;
import heromgr.proc.os.ProcTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One action's cgroup v2 leaf. A process stays in the cgroup of its parent whatever it does (setsid, a double fork,
 * a parent that exits), so every process an action's runs leave behind is listed here and a stop reaches it, where
 * the process group and the tree under the main process lose a double-forked daemon to pid 1.
 *
 * <p>The leaf is made on the first spawn and its cgroup.procs and cgroup.events stay open until a stop removes it:
 * a spawn costs one write, the end of a run one read.
 */
final class ControlGroup implements Containment {
    private static final Logger log = LoggerFactory.getLogger(ControlGroup.class);
    /** Bounds the sweep after a spawn: a fork bomb must not keep it going forever. */
    private static final int MAX_SWEPT = 10_000;
    private static final long POLL_MILLIS = 2;

    private final Path dir;
    private FileChannel procs;
    private FileChannel events;
    private boolean warned;
    /**
     * The leaf was made by this daemon since the last remove and cgroup.kill was never written to it: a restart spawns
     * into it as it is. Otherwise the next spawn makes it fresh first ({@link #makeFresh}).
     */
    private boolean fresh;
    /** The last spawn was born inside (see holdsWholeRun); a moved-in one may have forked before the move. */
    private boolean bornInside;

    ControlGroup(Path dir) {
        this.dir = dir;
    }

    /** Born inside through heromgr-spawn when it can be (see CgroupSpawn), else spawned and then moved in. */
    @Override
    public long spawn(PosixSpawn.Request request) {
        if (CgroupSpawn.available()) {
            try {
                if (!fresh) makeFresh();
                fresh = true;
                OptionalLong pid = CgroupSpawn.spawn(request, dir);
                bornInside = pid.isPresent();
                if (pid.isPresent()) return pid.getAsLong();
                fresh = false; // the leaf went missing: the move below makes it again, the next spawn checks
            } catch (IOException e) {
                bornInside = false;
                if (!warned) log.info("cannot create {} ({}): a stop reaches its process group and tree only", dir, e.getMessage());
                warned = true;
                return PosixSpawn.spawn(request);
            }
        }
        long pid = PosixSpawn.spawn(request);
        enter(pid);
        return pid;
    }

    /** The fallback: a freshly spawned process (and whatever it forked already) moved in; never fails a start. */
    private void enter(long pid) {
        try {
            if (!move(pid)) return;
            // glibc 2.36 has no posix_spawnattr_setcgroup_np and Java cannot run clone3(CLONE_INTO_CGROUP), so the move
            // comes after posix_spawn returned, i.e. after the exec: the program already ran and may have forked, and a
            // fork stays in the cgroup it was born in. Its descendants are swept in too; one that finished a double fork
            // before the move (setsid, intermediate exited) is out of reach, as it was without cgroups.
            List<Long> queue = new ArrayList<>(ProcTable.children(pid));
            for (int i = 0; i < queue.size() && i < MAX_SWEPT; i++) {
                if (move(queue.get(i))) queue.addAll(ProcTable.children(queue.get(i)));
            }
        } catch (IOException e) {
            if (!warned) log.info("cannot put pid {} into {} ({}): a stop reaches its process group and tree only", pid, dir, e.getMessage());
            warned = true;
        }
    }

    /** False when the process is gone already (nothing to move); a leaf removed under an open handle is made again once. */
    private boolean move(long pid) throws IOException {
        byte[] text = Long.toString(pid).getBytes(StandardCharsets.US_ASCII);
        try {
            openProcs().write(ByteBuffer.wrap(text), 0);
            return true;
        } catch (IOException e) {
            if (!ProcTable.running(pid)) return false;
            closeChannels();
            openProcs().write(ByteBuffer.wrap(text), 0);
            return true;
        }
    }

    private FileChannel openProcs() throws IOException {
        if (procs == null) {
            // exists already after a daemon restart (its processes may still be inside); the daemon's directory is made
            // again too if another daemon's start removed it while it was empty
            Files.createDirectories(dir);
            procs = FileChannel.open(dir.resolve("cgroup.procs"), StandardOpenOption.WRITE);
        }
        return procs;
    }

    @Override
    public boolean holdsWholeRun() {
        return bornInside;
    }

    @Override
    public Map<Long, Integer> openMembersOutside(long pgid) {
        var fds = new LinkedHashMap<Long, Integer>();
        for (long pid : members()) {
            // the group's signal reaches its members: the common case (the main process alone) opens nothing
            if (pgid != 0 && PosixSignals.groupOf(pid) == pgid) continue;
            int fd = PidFd.open(pid);
            if (fd >= 0) fds.put(pid, fd);
        }
        if (fds.isEmpty()) return fds;
        // a pid listed above may have been recycled before its pidfd was opened; a pid still listed now names the process
        // the fd holds (a live process keeps its pid), so only those are members
        var still = new HashSet<>(members());
        fds.entrySet().removeIf(e -> {
            if (still.contains(e.getKey())) return false;
            PidFd.close(e.getValue());
            return true;
        });
        return fds;
    }

    private List<Long> members() {
        return members(dir);
    }

    /** The pids listed in leaf's cgroup.procs; none when there is no such leaf. */
    static List<Long> members(Path leaf) {
        var out = new ArrayList<Long>();
        try {
            for (String line : ProcTable.read(leaf.resolve("cgroup.procs")).split("\n")) {
                if (!line.isBlank()) out.add(Long.parseLong(line.strip()));
            }
        } catch (IOException e) {
            // no leaf (never spawned into, or removed): no members
        }
        return out;
    }

    @Override
    public void killAll(Duration grace) {
        if (!populated()) return;
        if (writeKill()) {
            fresh = false; // made anew before the next spawn, once it is empty
        } else {
            for (int fd : openMembersOutside(0).values()) {
                PidFd.sendSignal(fd, 9);
                PidFd.close(fd);
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            // SIGKILL takes effect asynchronously and these are not our children: nothing to wait on but the flag
            while (populated()) {
                if (System.nanoTime() > deadline) {
                    log.warn("{}: processes {} still there {} ms after SIGKILL", dir, members(), grace.toMillis());
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
    }

    /**
     * A leaf that cgroup.kill was never written to, before a spawn. Linux 6.18 (this machine's) kills at birth every
     * child clone3()d with CLONE_INTO_CGROUP into a leaf that cgroup.kill was ever written to (the child's kill count is
     * taken from the spawner's cgroup and compared with the leaf's): every restart after a run that left processes
     * behind died by SIGKILL before its exec, a crash loop. So a leaf found (a previous daemon's, which may have been
     * killed just before that daemon died) or killed since is removed, when empty, and made anew; one still holding
     * processes (stuck in the kernel) is used as it is. A new service's costs one mkdir, as before.
     */
    private void makeFresh() throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (NoSuchFileException e) {
            Files.createDirectories(dir); // the daemon's own directory is not there yet
        } catch (FileAlreadyExistsException e) {
            closeChannels();
            try {
                Files.delete(dir);
            } catch (FileSystemException busy) {
                log.info("{} still holds processes ({}): a spawn into it may be killed at birth if it was ever killed", dir, busy.getMessage());
                return;
            }
            Files.createDirectory(dir);
        }
    }

    /** cgroup.kill (Linux ≥ 5.14) kills every member atomically, forks in flight included; false when it is missing. */
    private boolean writeKill() {
        try {
            Files.write(dir.resolve("cgroup.kill"), new byte[]{'1'}, StandardOpenOption.WRITE);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            log.warn("{}: cgroup.kill failed ({}), killing its members one by one", dir, e.getMessage());
            return false;
        }
    }

    /** "populated 1" in cgroup.events: some process (not a zombie) is inside it or below. */
    boolean populated() {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (events == null) events = FileChannel.open(dir.resolve("cgroup.events"), StandardOpenOption.READ);
                ByteBuffer buf = ByteBuffer.allocate(64);
                events.read(buf, 0); // read from the start: the kernel renders the file anew
                String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
                return text.contains("populated 1");
            } catch (NoSuchFileException e) {
                return false;
            } catch (IOException e) {
                closeChannels(); // a handle on a leaf removed meanwhile: opened again
            }
        }
        return false;
    }

    @Override
    public void remove() {
        closeChannels();
        fresh = false;
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // EBUSY: a process is still inside (stuck in the kernel); the next start uses the leaf as it is
            log.debug("{} not removed: {}", dir, e.getMessage());
        }
    }

    private void closeChannels() {
        for (FileChannel c : new FileChannel[]{procs, events}) {
            try {
                if (c != null) c.close();
            } catch (IOException e) {
                // closing a kernfs file does not fail in a way that matters here
            }
        }
        procs = null;
        events = null;
    }

    @Override
    public Optional<Path> path() {
        return Optional.of(dir);
    }
}
