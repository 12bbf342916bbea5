package heromgr.proc.cgroup;

import heromgr.proc.SupervisorException;
import heromgr.proc.os.ExitWatcher;
import heromgr.proc.os.PidFd;
import heromgr.proc.os.Pipe;
import heromgr.proc.os.PosixSpawn;
import heromgr.proc.os.ProcTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The daemon's side of {@code heromgr-spawn --serve}: one server, the daemon's child, started at the first spawn and
 * sent one request per spawn over a socket pair (its fd 3). A spawn through it makes one new process and one exec,
 * where the one-shot helper made two of each, and each new process waits for a core under load. A server serves one
 * request at a time (its clone3 and the wait for the child's exec); {@link SpawnServerPool} keeps a few.
 *
 * <p>When the server is gone (killed, or out of memory), it is reaped and a new one started, and the spawn is asked
 * once more; when it cannot be started at all, the caller uses the one-shot helper. A server that died after its
 * clone3 and before its answer has made the service already: a spawn whose answer is lost looks into the leaf first
 * (see {@link #bornUnanswered}) and is not asked again. An idle server that dies is reaped at once (its pidfd is
 * watched), not left a zombie until the next spawn. The server exits by itself when the daemon does (EOF on its
 * socket): the services stay for the next daemon to adopt.
 */
final class SpawnServer {
    private static final Logger log = LoggerFactory.getLogger(SpawnServer.class);
    private static final int SIGKILL = 9;
    private static final int HEADER_BYTES = 12;
    private static final Path ROOT = Path.of("/");

    /** A server could not be started: the one-shot helper from now on, for every server of the pool. */
    private static volatile boolean unavailable;

    private final Path program;
    /** The daemon's end of the socket pair; -1: no server running. */
    private int socket = -1;
    private int pidfd = -1;
    private long pid;
    /** The exit watch on pidfd: cancelled before pidfd is closed. */
    private ExitWatcher.Registration watch;
    /** Counts the servers started: a late exit report of a server already replaced names an old one. */
    private int started;
    /** One request's bytes, reused: a spawn allocates its strings' bytes and nothing else. */
    private byte[] request = new byte[16 << 10];
    private int length;

    SpawnServer(Path program) {
        this.program = program;
    }

    /**
     * The server's answer to this spawn (as the one-shot helper's: "pid", "step errno pid", "cgroup errno" or "clone errno"); empty when no server
     * could answer it, twice.
     */
    synchronized Optional<String> spawn(PosixSpawn.Request r, Path cgroupDir) {
        if (unavailable) return Optional.empty();
        encode(r, cgroupDir);
        for (int attempt = 1; attempt <= 2; attempt++) {
            if (socket < 0 && !start()) return Optional.empty();
            boolean sent = Pipe.send(socket, request, length);
            String answer = sent ? Pipe.readLine(socket) : "";
            if (!answer.isEmpty()) return Optional.of(answer);
            long lost = pid;
            discard();
            OptionalLong born = sent ? bornUnanswered(cgroupDir) : OptionalLong.empty();
            if (born.isPresent()) {
                log.warn("the spawn server {} (pid {}) died after making pid {} in {}: that process is the spawn", program,
                        lost, born.getAsLong(), cgroupDir);
                return Optional.of(Long.toString(born.getAsLong()));
            }
            log.info("the spawn server {} (pid {}) is gone: {}", program, lost,
                    attempt == 1 ? "starting a new one" : "this spawn goes through the one-shot helper");
        }
        return Optional.empty();
    }

    /**
     * The process a server made for a request it never answered: a child of the daemon inside the request's leaf. Only
     * a spawn puts the daemon's children there (the daemon is no subreaper, and a restart spawns after the previous
     * main process was reaped), so one found there is this spawn's, perhaps before its exec; should that exec fail, the
     * child exits 127 and the exit is seen as any other. Asking again would start the service twice.
     */
    static OptionalLong bornUnanswered(Path cgroupDir) {
        List<Long> members = ControlGroup.members(cgroupDir);
        if (members.isEmpty()) return OptionalLong.empty(); // no leaf, or nothing was born in it
        List<Long> ours = ProcTable.children(ProcessHandle.current().pid());
        for (long pid : members) {
            if (ours.contains(pid)) return OptionalLong.of(pid);
        }
        return OptionalLong.empty();
    }

    /** The running server's pid. */
    synchronized OptionalLong pid() {
        return socket < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    private boolean start() {
        int[] pair = Pipe.socketPair();
        try {
            pid = PosixSpawn.spawn(new PosixSpawn.Request(program, List.of("heromgr-spawn", "--serve"), Map.of(), ROOT,
                    PosixSpawn.DISCARD, pair[1]));
        } catch (SupervisorException e) {
            PidFd.close(pair[0]);
            unavailable = true;
            log.warn("cannot start the spawn server {} ({}): one helper per spawn from now on", program, e.getMessage());
            return false;
        } finally {
            PidFd.close(pair[1]);
        }
        socket = pair[0];
        pidfd = PidFd.open(pid);
        int server = ++started;
        if (pidfd >= 0) watch = ExitWatcher.SHARED.watch(pidfd, "heromgr-spawn-exit", () -> reapIfGone(server));
        return true;
    }

    /** The watched server exited: idle, or in the middle of a spawn, which has discarded it by the time this runs. */
    private synchronized void reapIfGone(int server) {
        if (server != started || socket < 0) return;
        log.info("the spawn server {} (pid {}) is gone: reaped, a new one starts at the next spawn", program, pid);
        discard();
    }

    /** Closes our end, and kills (if it lingers) and reaps the server: it is our child. */
    private void discard() {
        PidFd.close(socket);
        socket = -1;
        if (watch != null) ExitWatcher.SHARED.cancel(watch);
        watch = null;
        if (pidfd < 0) return;
        PidFd.sendSignal(pidfd, SIGKILL);
        PidFd.reap(pidfd);
        PidFd.close(pidfd);
        pidfd = -1;
    }

    /** Header (body bytes, argc, envc: native-endian u32), then NUL-terminated strings (see heromgr-spawn.c). */
    private void encode(PosixSpawn.Request r, Path cgroupDir) {
        length = HEADER_BYTES;
        put(cgroupDir.toString());
        put(r.program().toString());
        put(r.logFile().toString());
        put(r.stderrFile().toString());
        put(r.workDir().toString());
        for (String arg : r.argv()) put(arg);
        for (Map.Entry<String, String> e : r.env().entrySet()) {
            append(e.getKey().getBytes(StandardCharsets.UTF_8), '=');
            put(e.getValue());
        }
        putInt(0, length - HEADER_BYTES);
        putInt(4, r.argv().size());
        putInt(8, r.env().size());
    }

    private void put(String s) {
        append(s.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** bytes, then the one byte end */
    private void append(byte[] bytes, int end) {
        int needed = length + bytes.length + 1;
        if (needed > request.length) request = Arrays.copyOf(request, Math.max(2 * request.length, needed));
        System.arraycopy(bytes, 0, request, length, bytes.length);
        request[needed - 1] = (byte) end;
        length = needed;
    }

    private void putInt(int at, int value) {
        // x86-64 is little-endian, as the server reads it
        for (int i = 0; i < 4; i++) request[at + i] = (byte) (value >>> (8 * i));
    }
}
