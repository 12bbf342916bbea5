/*
 * heromgr-spawn: starts services directly inside their cgroup.
 *
 *   heromgr-spawn --serve                               (fd 3: a stream socket to the daemon)
 *   heromgr-spawn CGROUP_DIR PROGRAM ARGV0 [ARG...]     (fd 3: where the result goes)
 *
 * The service is clone3()d with CLONE_INTO_CGROUP | CLONE_PARENT: it is born inside the action's cgroup, so not even
 * a double fork in its first microsecond escapes it, and it is the daemon's child, not the helper's (the daemon reaps
 * it through its pidfd as any other). Moving a running process instead (a write to cgroup.procs) waits for an RCU
 * grace period, ~11 ms, during which a fast daemonizer is gone. Java cannot run clone3 itself, and glibc 2.36 has no
 * posix_spawnattr_setcgroup_np.
 *
 * --serve: the spawn server. The daemon posix_spawns it once (new session, empty mask, default dispositions: what its
 * children inherit, as posix_spawned services do) and sends it one request per spawn, so a spawn makes one new
 * process and one exec instead of two. A request: three native-endian u32 (body bytes, argc, envc), then a body of
 * NUL-terminated strings: cgroup dir, program, log, stderr log, work dir, argv[argc], env[envc]. The child opens
 * /dev/null, the log and the stderr log (O_WRONLY|O_CREAT|O_APPEND, 0644) on fds 0-2 as posix_spawn's file actions
 * did, closes everything else, enters the work dir, calls setsid and execs. The server exits at EOF on fd 3 (the
 * daemon is gone: the services stay, for the next daemon to adopt).
 *
 * One line answers each spawn: "<pid>" once the exec succeeded; "<step> <errno> <pid>" when the child's open, chdir
 * or exec failed (the child exited 127; it is the daemon's child to reap); "exec <errno>" without a pid when the
 * server refused the request before any clone (E2BIG: larger than it takes; EINVAL: malformed), a failure of that one
 * spawn only; "clone <errno>" when the kernel refused
 * the clone (no cgroup v2 there, or too old: the daemon then spawns without the helper); "cgroup <errno>" when
 * CGROUP_DIR cannot be opened (removed meanwhile: that one spawn goes without the helper). Without --serve the same
 * line goes to fd 3 for the one spawn (the daemon's posix_spawn did the open and chdir), and the helper exits 0 after
 * writing it, 2 on a usage error.
 *
 * Freestanding (no C library, raw x86-64 system calls): a static glibc's start-up alone took ~0.5 ms here, against
 * ~0.1 ms for the whole of a binary without it. Build:
 *   gcc -O2 -static -nostdlib -fno-stack-protector -fno-builtin -no-pie -o heromgr-spawn heromgr-spawn.c
 */
#if !defined(__x86_64__) || !defined(__linux__)
#error "heromgr-spawn is written for x86-64 Linux; elsewhere the daemon moves services into their cgroup instead"
#endif

#define SYS_read 0
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_dup2 33
#define SYS_execve 59
#define SYS_exit 60
#define SYS_fcntl 72
#define SYS_chdir 80
#define SYS_setsid 112
#define SYS_pipe2 293
#define SYS_close_range 436
#define SYS_clone3 435

#define O_RDONLY 0
#define O_WRONLY 01
#define O_CREAT 0100
#define O_APPEND 02000
#define O_DIRECTORY 0200000
#define O_CLOEXEC 02000000
#define F_SETFD 2
#define FD_CLOEXEC 1
#define CLOSE_RANGE_CLOEXEC 4
#define CLONE_PARENT 0x00008000ULL
#define CLONE_INTO_CGROUP 0x200000000ULL
#define EINTR 4
#define E2BIG 7
#define EINVAL 22

struct clone_args {
    unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
        set_tid_size, cgroup;
};

static long sys(long n, long a, long b, long c) {
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return ret;
}

static long append_number(char *line, long n, long value) {
    char digits[24];
    long d = 0;
    do {
        digits[d++] = (char) ('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (d > 0) line[n++] = digits[--d];
    return n;
}

/* "<word> <value>[ <pid>]\n", or "<value>\n" when word is empty; values >= 0, pid only when > 0 */
static void report(const char *word, long value, long pid) {
    char line[72];
    long n = 0;
    for (long i = 0; word[i] && n < 16; i++) line[n++] = word[i];
    if (n > 0) line[n++] = ' ';
    n = append_number(line, n, value);
    if (pid > 0) {
        line[n++] = ' ';
        n = append_number(line, n, pid);
    }
    line[n++] = '\n';
    sys(SYS_write, 3, (long) line, n);
}

/* What the daemon's posix_spawn does for a service (its file actions), done by the server's child instead. */
struct setup {
    const char *log, *err_log, *work_dir;
};

/* Steps a child reports through its status pipe; their words name them in the answer. */
static const char *const steps[] = {"exec", "open", "chdir"};

static void fail(int status, int step, long err) {
    int code[2] = {step, (int) err};
    sys(SYS_write, status, (long) code, sizeof code);
    sys(SYS_exit, 127, 0, 0);
}

static void open_on(int status, const char *path, long flags, int fd) {
    long opened = sys(SYS_open, (long) path, flags, 0644);
    if (opened < 0) fail(status, 1, -opened);
    if (opened != fd) {
        sys(SYS_dup2, opened, fd, 0);
        sys(SYS_close, opened, 0, 0);
    }
}

/* In the child: never returns. */
static void become(int status, const struct setup *setup, const char *program, char **argv, char **envp) {
    if (setup) {
        open_on(status, "/dev/null", O_RDONLY, 0);
        open_on(status, setup->log, O_WRONLY | O_CREAT | O_APPEND, 1);
        open_on(status, setup->err_log, O_WRONLY | O_CREAT | O_APPEND, 2);
        /* close-on-exec rather than closed: the status pipe must last until the exec; nothing else crosses it */
        sys(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
        long rc = sys(SYS_chdir, (long) setup->work_dir, 0, 0);
        if (rc < 0) fail(status, 2, -rc);
    } else {
        sys(SYS_close, 3, 0, 0); /* the daemon's end of the report is not the service's business */
    }
    sys(SYS_setsid, 0, 0, 0);
    fail(status, 0, -sys(SYS_execve, (long) program, (long) argv, (long) envp));
}

/* Clones the service into cgroup_dir and answers on fd 3 once it exec'd (or failed to). */
static void spawn(const char *cgroup_dir, const struct setup *setup, const char *program, char **argv, char **envp) {
    long cgroup = sys(SYS_open, (long) cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (cgroup < 0) {
        report("cgroup", -cgroup, 0);
        return;
    }
    int status[2];
    long rc = sys(SYS_pipe2, (long) status, O_CLOEXEC, 0);
    if (rc < 0) {
        sys(SYS_close, cgroup, 0, 0);
        report("clone", -rc, 0);
        return;
    }
    static struct clone_args args; /* static: zeroed without a memset, which there is no library for */
    args.flags = CLONE_INTO_CGROUP | CLONE_PARENT;
    args.exit_signal = 0; /* clone3 refuses one with CLONE_PARENT: the child inherits ours, SIGCHLD, as the daemon's child */
    args.cgroup = (unsigned long long) cgroup;
    long pid = sys(SYS_clone3, (long) &args, sizeof args, 0);
    if (pid == 0) {
        sys(SYS_close, status[0], 0, 0);
        become(status[1], setup, program, argv, envp);
    }
    sys(SYS_close, cgroup, 0, 0);
    sys(SYS_close, status[1], 0, 0);
    if (pid < 0) {
        sys(SYS_close, status[0], 0, 0);
        report("clone", -pid, 0);
        return;
    }
    int code[2] = {0, 0};
    long n;
    do {
        n = sys(SYS_read, status[0], (long) code, sizeof code); /* EOF: the exec closed the pipe, i.e. it succeeded */
    } while (n == -EINTR);
    sys(SYS_close, status[0], 0, 0);
    if (n == (long) sizeof code && code[0] >= 0 && code[0] < 3) report(steps[code[0]], code[1], pid);
    else report("", pid, 0);
}

static int spawn_once(long argc, char **argv, char **envp) {
    if (argc < 4) {
        static const char usage[] = "usage: heromgr-spawn --serve | CGROUP_DIR PROGRAM ARGV0 [ARG...] (fd 3: the daemon)\n";
        sys(SYS_write, 2, (long) usage, sizeof usage - 1);
        return 2;
    }
    spawn(argv[1], 0, argv[2], argv + 3, envp);
    return 0;
}

/* Room for one request: above Linux's default limit on argv + env (a quarter of an 8 MiB stack). Untouched pages of
 * .bss cost no memory. */
#define REQUEST_BYTES (4L << 20)
#define REQUEST_STRINGS 65536
static char request[REQUEST_BYTES];
static char *strings[REQUEST_STRINGS];

/* Exactly n bytes from fd 3: 1, or 0 at EOF or on an error (the daemon is gone) */
static int read_fully(char *buf, long n) {
    while (n > 0) {
        long got = sys(SYS_read, 3, (long) buf, n);
        if (got == -EINTR) continue;
        if (got <= 0) return 0;
        buf += got;
        n -= got;
    }
    return 1;
}

/* The body's count NUL-terminated strings into strings[], each array ended by a NULL; 0 if the body is malformed. */
static int split(long bytes, long count) {
    long at = 0;
    for (long i = 0; i < count; i++) {
        if (at >= bytes) return 0;
        strings[i] = request + at;
        while (at < bytes && request[at]) at++;
        if (at++ >= bytes) return 0;
    }
    return at == bytes;
}

static int serve(void) {
    sys(SYS_fcntl, 3, F_SETFD, FD_CLOEXEC);
    for (;;) {
        unsigned int header[3];
        if (!read_fully((char *) header, sizeof header)) return 0;
        long bytes = header[0], argc = header[1], envc = header[2];
        /* 5 paths, argv and its NULL, env and its NULL */
        if (bytes > REQUEST_BYTES || argc + envc + 7 > REQUEST_STRINGS) {
            for (long left = bytes; left > 0; left -= REQUEST_BYTES) {
                if (!read_fully(request, left < REQUEST_BYTES ? left : REQUEST_BYTES)) return 0;
            }
            report("exec", E2BIG, 0);
            continue;
        }
        if (!read_fully(request, bytes)) return 0;
        /* argv's NULL sits between argv and env: env's strings are split one slot further on */
        if (argc < 1 || !split(bytes, 5 + argc + envc)) {
            report("exec", EINVAL, 0);
            continue;
        }
        for (long i = 5 + argc + envc; i > 5 + argc; i--) strings[i] = strings[i - 1];
        strings[5 + argc] = 0;
        strings[6 + argc + envc] = 0;
        struct setup setup = {strings[2], strings[3], strings[4]};
        spawn(strings[0], &setup, strings[1], strings + 5, strings + 6 + argc);
    }
}

/* The kernel's entry: argc, argv[], NULL, envp[] on the stack. */
__attribute__((used)) void start_c(long *sp) {
    long argc = sp[0];
    char **argv = (char **) (sp + 1);
    static const char flag[] = "--serve";
    int serving = argc == 2;
    for (long i = 0; serving && i < (long) sizeof flag; i++) serving = argv[1][i] == flag[i];
    sys(SYS_exit, serving ? serve() : spawn_once(argc, argv, argv + argc + 1), 0, 0);
}

__asm__(".text\n.globl _start\n_start:\n xor %rbp, %rbp\n mov %rsp, %rdi\n and $-16, %rsp\n call start_c\n hlt\n");
