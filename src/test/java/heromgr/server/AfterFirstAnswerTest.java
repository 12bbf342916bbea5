package heromgr.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The chore held back until the first answer has gone out (or the bound has passed), run once, requests passed through. */
class AfterFirstAnswerTest {
    /** Answers each request at once, as a handler that wrote its answer; keeps the callbacks it was given. */
    private static final class Answering extends Handler.Abstract {
        final List<Callback> given = new ArrayList<>();
        boolean answer = true;

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            given.add(callback);
            if (answer) callback.succeeded();
            return true;
        }
    }

    @Test
    void theChoreRunsOnceTheFirstAnswerIsOutAndOnlyOnce() throws Exception {
        var next = new Answering();
        var ran = new AtomicInteger();
        var wrapper = new AfterFirstAnswer(next, ran::incrementAndGet);
        next.answer = false;
        var answered = new AtomicInteger();
        assertThat(wrapper.handle(null, null, Callback.from(answered::incrementAndGet))).isTrue();
        assertThat(ran).as("the first request is still being answered").hasValue(0);
        next.given.getFirst().succeeded();
        assertThat(answered).as("the request's own callback").hasValue(1);
        assertThat(ran).hasValue(1);
        next.answer = true;
        wrapper.handle(null, null, Callback.NOOP);
        assertThat(ran).as("not again").hasValue(1);
        assertThat(next.given.getLast()).as("a later request's callback passes untouched").isSameAs(Callback.NOOP);
    }

    @Test
    void itKeepsTheServerNonBlockingSoQuickReadsStayOnTheSelector() {
        var quick = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return true;
            }
        };
        assertThat(new AfterFirstAnswer(quick, () -> { }).getInvocationType()).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
    }

    @Test
    void aFailedAnswerCountsAsTheFirstAnswerToo() throws Exception {
        var next = new Answering();
        next.answer = false;
        var ran = new AtomicInteger();
        var wrapper = new AfterFirstAnswer(next, ran::incrementAndGet);
        wrapper.handle(null, null, Callback.NOOP);
        next.given.getFirst().failed(new IllegalStateException("the client went away"));
        assertThat(ran).hasValue(1);
    }

    @Test
    void withoutAnyCallTheBoundRunsTheChoreAndAnAnswerAfterItDoesNotAgain() throws Exception {
        var ran = new AtomicInteger();
        var wrapper = new AfterFirstAnswer(new Answering(), ran::incrementAndGet);
        var scheduler = new ScheduledExecutorScheduler("heromgr-test-scheduler", true);
        scheduler.start();
        try {
            wrapper.bound(scheduler, Duration.ofMillis(20));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ran).hasValue(1));
            wrapper.handle(null, null, Callback.NOOP);
            assertThat(ran).hasValue(1);
        } finally {
            scheduler.stop();
        }
    }
}
