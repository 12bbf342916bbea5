/*
 * heromgr-spawn: starts a service directly inside its cgroup.
 *
 *   heromgr-spawn CGROUP_DIR PROGRAM ARGV0 [ARG...]     (fd 3: where the result goes)
 *
 * The daemon posix_spawns this helper (session, signals, stdin, log and working directory already set up), and the
 * helper clone3()s the service with CLONE_INTO_CGROUP | CLONE_PARENT: the service is born inside the action's cgroup,
 * so not even a double fork in its first microsecond escapes it, and it is the daemon's child, not the helper's (the
 * daemon reaps it through its pidfd as any other). Moving a running process instead (a write to cgroup.procs) waits
 * for an RCU grace period, ~11 ms, during which a fast daemonizer is gone. Java cannot run clone3 itself, and glibc
 * 2.36 has no posix_spawnattr_setcgroup_np.
 *
 * The child calls setsid (it leads its own session and group, as a posix_spawned service does) and execs PROGRAM with
 * the helper's environment. Fd 3 receives one line: "<pid>" once the exec succeeded, "exec <errno>" when it failed,
 * "clone <errno>" when the kernel refused the clone (no cgroup v2 there, or too old: the daemon then spawns without
 * the helper), "cgroup <errno>" when CGROUP_DIR cannot be opened (removed meanwhile: that one spawn goes without the
 * helper). The helper exits 0 after writing it, 2 on a usage error.
 *
 * Freestanding (no C library, raw x86-64 system calls): it runs once per spawn and restart, and a static glibc's
 * start-up alone took ~0.5 ms here, against ~0.1 ms for the whole of a binary without it. Build:
 *   gcc -O2 -static -nostdlib -fno-stack-protector -fno-builtin -no-pie -o heromgr-spawn heromgr-spawn.c
 */
#if !defined(__x86_64__) || !defined(__linux__)
#error "heromgr-spawn is written for x86-64 Linux; elsewhere the daemon moves services into their cgroup instead"
#endif

#define SYS_read 0
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_execve 59
#define SYS_exit 60
#define SYS_setsid 112
#define SYS_pipe2 293
#define SYS_clone3 435

#define O_RDONLY 0
#define O_DIRECTORY 0200000
#define O_CLOEXEC 02000000
#define CLONE_PARENT 0x00008000ULL
#define CLONE_INTO_CGROUP 0x200000000ULL
#define EINTR 4

struct clone_args {
    unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
        set_tid_size, cgroup;
};

static long sys(long n, long a, long b, long c) {
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return ret;
}

/* "<word> <value>\n", or "<value>\n" when word is empty; value >= 0 */
static void report(const char *word, long value) {
    char line[48];
    long n = 0;
    for (long i = 0; word[i] && n < 16; i++) line[n++] = word[i];
    if (n > 0) line[n++] = ' ';
    char digits[24];
    long d = 0;
    do {
        digits[d++] = (char) ('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (d > 0) line[n++] = digits[--d];
    line[n++] = '\n';
    sys(SYS_write, 3, (long) line, n);
}

static int run(long argc, char **argv, char **envp) {
    if (argc < 4) {
        static const char usage[] = "usage: heromgr-spawn CGROUP_DIR PROGRAM ARGV0 [ARG...] (result on fd 3)\n";
        sys(SYS_write, 2, (long) usage, sizeof usage - 1);
        return 2;
    }
    long cgroup = sys(SYS_open, (long) argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (cgroup < 0) {
        report("cgroup", -cgroup);
        return 0;
    }
    int status[2];
    long rc = sys(SYS_pipe2, (long) status, O_CLOEXEC, 0);
    if (rc < 0) {
        report("clone", -rc);
        return 0;
    }
    static struct clone_args args; /* static: zeroed without a memset, which there is no library for */
    args.flags = CLONE_INTO_CGROUP | CLONE_PARENT;
    args.exit_signal = 0; /* clone3 refuses one with CLONE_PARENT: the child inherits ours, SIGCHLD, as the daemon's child */
    args.cgroup = (unsigned long long) cgroup;
    long pid = sys(SYS_clone3, (long) &args, sizeof args, 0);
    if (pid < 0) {
        report("clone", -pid);
        return 0;
    }
    if (pid == 0) {
        sys(SYS_close, status[0], 0, 0);
        sys(SYS_close, 3, 0, 0); /* the daemon's end of the report is not the service's business */
        sys(SYS_setsid, 0, 0, 0);
        long err = -sys(SYS_execve, (long) argv[2], (long) (argv + 3), (long) envp);
        int code = (int) err;
        sys(SYS_write, status[1], (long) &code, sizeof code);
        sys(SYS_exit, 127, 0, 0);
    }
    sys(SYS_close, status[1], 0, 0);
    int err = 0;
    long n;
    do {
        n = sys(SYS_read, status[0], (long) &err, sizeof err); /* EOF: the exec closed the pipe, i.e. it succeeded */
    } while (n == -EINTR);
    if (n == (long) sizeof err) report("exec", err);
    else report("", pid);
    return 0;
}

/* The kernel's entry: argc, argv[], NULL, envp[] on the stack. */
__attribute__((used)) void start_c(long *sp) {
    long argc = sp[0];
    char **argv = (char **) (sp + 1);
    sys(SYS_exit, run(argc, argv, argv + argc + 1), 0, 0);
}

__asm__(".text\n.globl _start\n_start:\n xor %rbp, %rbp\n mov %rsp, %rdi\n and $-16, %rsp\n call start_c\n hlt\n");
