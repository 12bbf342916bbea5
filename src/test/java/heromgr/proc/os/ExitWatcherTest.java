package heromgr.proc.os;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ExitWatcherTest {
    private final List<Process> children = new ArrayList<>();
    private final List<Integer> pidfds = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        pidfds.forEach(PidFd::close);
    }

    @Test
    void anExitIsHandledOnAThreadNamedForItThatIsRenamedWhenDone() throws IOException {
        Process child = sleeper();
        var handledOn = new AtomicReference<String>();
        var thread = new AtomicReference<Thread>();
        ExitWatcher.SHARED.watch(pidfdOf(child), "exit-test/one", () -> {
            handledOn.set(Thread.currentThread().getName());
            thread.set(Thread.currentThread());
        });

        child.destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handledOn.get()).isEqualTo("exit-test/one"));
        // back in the pool, or leading again: either way no longer named after the exit it handled
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(thread.get().getName()).isIn("heromgr-exit", "heromgr-exits"));
    }

    @Test
    void anExitWhoseHandlingBlocksHoldsUpNoOtherExit() throws IOException, InterruptedException {
        Process first = sleeper();
        Process second = sleeper();
        var firstEntered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var firstDone = new AtomicBoolean();
        var secondHandled = new AtomicBoolean();
        ExitWatcher.SHARED.watch(pidfdOf(first), "exit-test/blocked", () -> {
            firstEntered.countDown();
            try {
                // what a spawn on a hung file system does to its thread
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            firstDone.set(true);
        });
        ExitWatcher.SHARED.watch(pidfdOf(second), "exit-test/free", () -> secondHandled.set(true));
        try {
            first.destroyForcibly();
            assertThat(firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
            second.destroyForcibly();

            await().atMost(Duration.ofSeconds(10)).untilTrue(secondHandled);
            assertThat(firstDone).isFalse();
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).untilTrue(firstDone);
    }

    private Process sleeper() throws IOException {
        Process p = new ProcessBuilder("/bin/sleep", "1000").start();
        children.add(p);
        return p;
    }

    private int pidfdOf(Process p) {
        int fd = PidFd.open(p.pid());
        assertThat(fd).isGreaterThanOrEqualTo(0);
        pidfds.add(fd);
        return fd;
    }
}
