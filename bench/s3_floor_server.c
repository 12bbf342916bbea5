/* The least a server can do for the harness's S3 client (issue 15, bench/s3_floor.py): one thread, epoll, every
 * request on a Unix socket answered with the same canned HTTP answer (the bytes a heromgr daemon gave for the
 * status call). No JSON, no state: what is left of a call is the client, the kernel and the machine's wake-ups.
 *
 *     cc -O2 -o s3_floor_server s3_floor_server.c && ./s3_floor_server SOCKET ANSWER_FILE
 *
 * A request is taken as complete once its head (up to the blank line) and Content-Length bytes of body are in;
 * several requests in one read are answered in order. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_CONN 64
#define BUF 65536

struct conn { int fd; size_t len; char buf[BUF]; };

static char *answer;
static size_t answer_len;

static long content_length(const char *head, size_t head_len) {
    static const char key[] = "content-length:";
    for (size_t i = 0; i + sizeof key - 1 < head_len; i++) {
        if (strncasecmp(head + i, key, sizeof key - 1) == 0) return strtol(head + i + sizeof key - 1, NULL, 10);
    }
    return 0;
}

/* Answers every complete request in the buffer; returns -1 when the connection should close. */
static int serve(struct conn *c) {
    for (;;) {
        char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
        if (end == NULL) return c->len == BUF ? -1 : 0;
        size_t head_len = (size_t) (end - c->buf) + 4;
        size_t total = head_len + (size_t) content_length(c->buf, head_len);
        if (total > BUF) return -1;
        if (c->len < total) return 0;
        for (size_t off = 0; off < answer_len;) {
            ssize_t n = write(c->fd, answer + off, answer_len - off);
            if (n < 0) return -1;
            off += (size_t) n;
        }
        memmove(c->buf, c->buf + total, c->len - total);
        c->len -= total;
    }
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) { perror(path); exit(2); }
    char *data = malloc(BUF);
    *len = fread(data, 1, BUF, f);
    fclose(f);
    return data;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s SOCKET ANSWER_FILE\n", argv[0]); return 2; }
    answer = read_file(argv[2], &answer_len);
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    strncpy(addr.sun_path, argv[1], sizeof addr.sun_path - 1);
    unlink(argv[1]);
    if (bind(lfd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(lfd, 64) < 0) { perror("bind"); return 1; }
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event events[MAX_CONN];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_CONN, -1);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                int fd = accept(lfd, NULL, NULL);
                if (fd < 0) continue;
                c = calloc(1, sizeof *c);
                c->fd = fd;
                struct epoll_event cev = { .events = EPOLLIN, .data.ptr = c };
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                continue;
            }
            ssize_t got = read(c->fd, c->buf + c->len, BUF - c->len);
            if (got > 0) c->len += (size_t) got;
            if (got <= 0 || serve(c) < 0) {
                close(c->fd);
                free(c);
            }
        }
    }
}
