/*
 * libheromgr-unixsocket.so: the CLI's Unix-socket client calls (heromgr.http.NativeUnixSocket) through JNI.
 *
 * Why: the JDK's SocketChannel for a Unix socket initialises sun.nio.ch.UnixDomainSockets, whose static
 * SecureRandom reads java.security and builds the SUN provider (KnownOIDs, every service): ~20-30 ms of a ~115 ms
 * `heromgr status NAME`, on its critical path. The same five system calls through JNI cost well under 1 ms
 * (FFM's downcalls were measured too: ~60 ms to link four of them in an interpreted JVM). Built by `mvn compile`
 * when gcc is there (pom.xml); without it the CLI keeps the SocketChannel path.
 *
 * Every function answers a count or descriptor >= 0, or -errno.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Copies through the stack: a JNI critical region must not span a blocking system call. */
#define CHUNK 8192

JNIEXPORT jint JNICALL Java_heromgr_http_NativeUnixSocket_connect0(JNIEnv *env, jclass cls, jbyteArray path) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    jsize n = (*env)->GetArrayLength(env, path);
    if (n <= 0 || n >= (jsize) sizeof addr.sun_path) return -ENAMETOOLONG;
    (*env)->GetByteArrayRegion(env, path, 0, n, (jbyte *) addr.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int rc;
    do {
        rc = connect(fd, (struct sockaddr *) &addr, (socklen_t) (offsetof(struct sockaddr_un, sun_path) + n + 1));
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

JNIEXPORT jint JNICALL Java_heromgr_http_NativeUnixSocket_write0(JNIEnv *env, jclass cls, jint fd, jbyteArray b,
                                                                 jint off, jint len) {
    char buf[CHUNK];
    if (len > CHUNK) len = CHUNK;
    (*env)->GetByteArrayRegion(env, b, off, len, (jbyte *) buf);
    ssize_t n;
    do {
        n = send(fd, buf, (size_t) len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (jint) n;
}

JNIEXPORT jint JNICALL Java_heromgr_http_NativeUnixSocket_read0(JNIEnv *env, jclass cls, jint fd, jbyteArray b,
                                                                jint off, jint len) {
    char buf[CHUNK];
    if (len > CHUNK) len = CHUNK;
    ssize_t n;
    do {
        n = read(fd, buf, (size_t) len);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return -errno;
    (*env)->SetByteArrayRegion(env, b, off, (jsize) n, (jbyte *) buf);
    return (jint) n;
}

/* Wakes a read blocked on fd (it returns 0) without freeing the descriptor: the watchdog's way to end a call. */
JNIEXPORT jint JNICALL Java_heromgr_http_NativeUnixSocket_shutdown0(JNIEnv *env, jclass cls, jint fd) {
    return shutdown(fd, SHUT_RDWR) < 0 ? -errno : 0;
}

JNIEXPORT jint JNICALL Java_heromgr_http_NativeUnixSocket_close0(JNIEnv *env, jclass cls, jint fd) {
    return close(fd) < 0 ? -errno : 0;
}

JNIEXPORT jstring JNICALL Java_heromgr_http_NativeUnixSocket_errorText0(JNIEnv *env, jclass cls, jint errnum) {
    char text[128];
    /* the GNU strerror_r: answers a pointer, which may or may not be text */
    return (*env)->NewStringUTF(env, strerror_r(errnum, text, sizeof text));
}
