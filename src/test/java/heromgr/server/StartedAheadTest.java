package heromgr.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A start-up part made on a thread of its own: the join hands back what it made, or throws what it threw, as thrown. */
class StartedAheadTest {
    @Test
    void theJoinHandsBackWhatTheNamedThreadMade() {
        var part = StartedAhead.start("heromgr-test-setup", () -> Thread.currentThread().getName());
        assertThat(part.join()).isEqualTo("heromgr-test-setup");
        assertThat(part.join()).as("joined again").isEqualTo("heromgr-test-setup");
    }

    @Test
    void aFailureIsThrownByTheJoinAsTheMakerThrewIt() {
        var refused = new IllegalStateException("another heromgr daemon is already running on x");
        assertThatThrownBy(StartedAhead.start("heromgr-test-setup", () -> {
            throw refused;
        })::join).isSameAs(refused);
        var broken = new UncheckedIOException(new IOException("disk"));
        assertThatThrownBy(StartedAhead.start("heromgr-test-setup", () -> {
            throw broken;
        })::join).isSameAs(broken);
        var error = new StackOverflowError("deep");
        assertThatThrownBy(StartedAhead.start("heromgr-test-setup", () -> {
            throw error;
        })::join).isSameAs(error);
    }
}
