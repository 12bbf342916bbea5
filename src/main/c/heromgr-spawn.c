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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static void report(const char *fmt, long value) {
    char line[64];
    int n = snprintf(line, sizeof line, fmt, value);
    if (n > 0) (void) !write(3, line, (size_t) n);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: heromgr-spawn CGROUP_DIR PROGRAM ARGV0 [ARG...] (result on fd 3)\n");
        return 2;
    }
    int cgroup = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cgroup < 0) {
        report("cgroup %ld\n", errno);
        return 0;
    }
    int status[2];
    if (pipe2(status, O_CLOEXEC) != 0) {
        report("clone %ld\n", errno);
        return 0;
    }
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_INTO_CGROUP | CLONE_PARENT;
    args.exit_signal = 0; /* clone3 refuses one with CLONE_PARENT: the child inherits ours, SIGCHLD, as the daemon's child */
    args.cgroup = (uint64_t) cgroup;
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid < 0) {
        report("clone %ld\n", errno);
        return 0;
    }
    if (pid == 0) {
        close(status[0]);
        close(3); /* the daemon's end of the report is not the service's business */
        setsid();
        execve(argv[2], argv + 3, environ);
        int err = errno;
        (void) !write(status[1], &err, sizeof err);
        _exit(127);
    }
    close(status[1]);
    int err = 0;
    ssize_t n;
    do {
        n = read(status[0], &err, sizeof err); /* EOF: the exec closed the pipe, i.e. it succeeded */
    } while (n < 0 && errno == EINTR);
    if (n == (ssize_t) sizeof err) report("exec %ld\n", err);
    else report("%ld\n", pid);
    return 0;
}
