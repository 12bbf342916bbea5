package heromgr.server;

import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A selector thread's answer buffer: reused once its write completed, never while a write still holds it. */
class AnswerBufferTest {
    private static String text(ByteBuffer bytes) {
        return StandardCharsets.UTF_8.decode(bytes).toString();
    }

    @Test
    void aThreadGetsItsBufferBackOnceTheWriteCompleted() {
        AnswerBuffer first = AnswerBuffer.lend();
        first.writeBytes("a longer first answer".getBytes(StandardCharsets.UTF_8));
        AtomicInteger written = new AtomicInteger();
        first.returnedAfter(Callback.from(written::incrementAndGet)).succeeded();
        assertThat(written).hasValue(1);

        AnswerBuffer second = AnswerBuffer.lend();
        assertThat(second).isSameAs(first);
        second.writeBytes("short".getBytes(StandardCharsets.UTF_8));
        assertThat(text(second.bytes())).as("emptied when lent").isEqualTo("short");
        second.returnedAfter(Callback.NOOP).failed(new RuntimeException("the peer left"));
        assertThat(AnswerBuffer.lend()).as("back after a failed write too").isSameAs(first);
        first.giveBack();
    }

    @Test
    void anAnswerWhileTheBufferIsStillBeingWrittenGetsOneOfItsOwn() {
        AnswerBuffer pending = AnswerBuffer.lend();
        pending.writeBytes("still on its way".getBytes(StandardCharsets.UTF_8));
        AnswerBuffer other = AnswerBuffer.lend();
        assertThat(other).isNotSameAs(pending);
        other.writeBytes("next".getBytes(StandardCharsets.UTF_8));
        assertThat(text(pending.bytes())).isEqualTo("still on its way");
        assertThat(text(other.bytes())).isEqualTo("next");
        pending.giveBack();
        assertThat(AnswerBuffer.lend()).isSameAs(pending);
        pending.giveBack();
    }

    @Test
    void aLargeAnswersArrayIsNotKept() {
        AnswerBuffer big = AnswerBuffer.lend();
        big.writeBytes(new byte[AnswerBuffer.KEPT + 1]);
        big.giveBack();
        AnswerBuffer again = AnswerBuffer.lend();
        assertThat(again).isSameAs(big);
        assertThat(again.bytes().capacity()).isLessThanOrEqualTo(AnswerBuffer.KEPT);
        again.giveBack();
    }
}
