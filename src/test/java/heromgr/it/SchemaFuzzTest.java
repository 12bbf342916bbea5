package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;
import heromgr.rpc.OpenRpcContract;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Promise 3 of docs/reliability.md, fuzzed against one real daemon (a JVM of its own, as a user runs it): params
 * generated from the OpenRPC schemas of every method, alone, in JSON-RPC batches and from several clients at once,
 * are carried out with a result that fits the method's result schema, or refused with an error the document lists
 * (never -32603) whose data has the documented shape; mangled JSON, bodies in UTF-16 or UTF-32, text after the value,
 * HTTP garbage, partial and oversized requests are refused the same way; the daemon answers throughout. Promises 2
 * and 4 on the same run: no file outside $HERO_HOME changes (the path params point into a decoy folder beside it),
 * and the daemon's live heap after warm-up does not grow. Over 10,000 requests per run, on kept-alive connections (a connect each cost more
 * than most calls). jqwik runs properties itself, so the daemon is started and cleaned up by hand, through the same
 * test kit.
 */
class SchemaFuzzTest {
    /** What the issue asks of one run. */
    static final int REQUESTS_PER_RUN = 10_000;
    /** Calls sent before the live heap is first measured: the caches and pools a daemon fills once are full by then. */
    static final int WARM_UP = 200;
    static final DaemonExtension daemons = new DaemonExtension();
    static final AtomicLong ids = new AtomicLong();
    static final AtomicLong sent = new AtomicLong();
    static DaemonProcess d;
    static SchemaParams params;
    static AnswerSchemas answers;
    static KeptAliveClients clients;
    static DaemonMemory memory;
    static Path home;
    static FileSnapshot before;
    static HeapBound warmHeap;

    @BeforeContainer
    static void up() throws Exception {
        try {
            start();
        } catch (Exception | AssertionError e) {
            daemons.afterAll(null);
            d = null;
            throw e;
        }
    }

    static void start() throws Exception {
        Path root = daemons.root();
        home = root.resolve("home");
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("data.txt"), "a file the daemon must not change\n");
        Files.createDirectories(outside.resolve("sub"));
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        // the daemon's temp folder is the decoy's sibling, so whatever it writes there is seen too
        d = daemons.startProcess(home, Map.of("CODEROOT", home.resolve("code").toString(), "TMPDIR", tmp.toString(),
                "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp));
        OpenRpcContract contract = OpenRpcContract.load(JsonCodec.MAPPER);
        params = new SchemaParams(contract, outside);
        answers = new AnswerSchemas(contract);
        clients = new KeptAliveClients(d.socket, 4);
        memory = new DaemonMemory(d, Duration.ofSeconds(1));
        before = FileSnapshot.of(root, SchemaFuzzTest::allowedToChange);
        generatedCalls().sampleStream().limit(WARM_UP).forEach(SchemaFuzzTest::sendAlone);
        warmHeap = HeapBound.warm(d);
    }

    /**
     * $HERO_HOME is the daemon's; the daemon's stderr is the test kit's file. The daemon's own temp folder may see a
     * file come and go (its modification time changed once in a CI run, with nothing left in it): the folder's time
     * is not compared, but whatever is in it is, so a file left there still fails the run.
     */
    static boolean allowedToChange(Path p) {
        return p.startsWith(home) || p.getFileName().toString().matches("daemon-.*\\.err")
                || p.equals(daemons.root().resolve("tmp"));
    }

    @AfterContainer
    static void down() throws Exception {
        if (d == null) return;  // the start failed, and said why
        try {
            assertThat(d.process.isAlive() && d.answers()).as("the daemon lived through the run").isTrue();
            List<Long> rss = memory.rssSamples();
            System.out.printf("fuzz: %d requests; RSS %s at the start, max %s, %s at the end%n", sent.get(), DaemonMemory.mib(rss.getFirst()),
                    DaemonMemory.mib(rss.stream().mapToLong(Long::longValue).max().orElseThrow()), DaemonMemory.mib(rss.getLast()));
            assertThat(sent.get()).as("requests this run").isGreaterThanOrEqualTo(REQUESTS_PER_RUN);
            warmHeap.holdsIn(d, sent.get() + " fuzz requests");
            assertThat(FileSnapshot.of(daemons.root(), SchemaFuzzTest::allowedToChange).changesSince(before))
                    .as("files changed outside $HERO_HOME").isEmpty();
        } finally {
            memory.close();
            clients.close();
            daemons.afterAll(null);
        }
    }

    record Call(String method, JsonNode params) {
        ObjectNode node(long id) {
            ObjectNode call = JsonCodec.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
            call.set("params", params);
            return call;
        }

        String body(long id) {
            return node(id).toString();
        }
    }

    static Arbitrary<Call> generatedCalls() {
        return params.methods().flatMap(m -> params.of(m).map(p -> new Call(m, p)));
    }

    @Provide
    Arbitrary<Call> calls() {
        return generatedCalls();
    }

    static void sendAlone(Call call) {
        long id = ids.incrementAndGet();
        String body = call.body(id);
        sent.incrementAndGet();
        answers.check(call.method(), clients.post(body), id, body);
    }

    @Property(tries = 1000)
    void paramsTheSchemaAllowsAreCarriedOutOrRefusedWithADomainError(@ForAll("calls") Call call) {
        sendAlone(call);
    }

    @Provide
    Arbitrary<List<Call>> groups() {
        return calls().list().ofMinSize(2).ofMaxSize(12);
    }

    /**
     * The same calls as one JSON-RPC batch (the daemon runs its calls 16 at a time) or from four clients at once: each
     * call counts as a request (JSON-RPC's word for each object of a batch), and costs a fourth of one sent alone.
     */
    @Property(tries = 1200)
    void callsInABatchOrFromSeveralClientsAtOnceAreAnsweredEachByTheSchema(@ForAll("groups") List<Call> group,
                                                                            @ForAll boolean asBatch) {
        long first = ids.getAndAdd(group.size()) + 1;
        sent.addAndGet(group.size());
        if (asBatch) {
            var batch = JsonCodec.MAPPER.createArrayNode();
            for (int i = 0; i < group.size(); i++) batch.add(group.get(i).node(first + i));
            JsonNode answer = clients.post(batch.toString());
            assertThat(answer.isArray() && answer.size() == group.size()).as("one answer per call: %s", answer).isTrue();
            Map<Long, JsonNode> byId = new HashMap<>();
            answer.forEach(a -> byId.put(a.path("id").asLong(), a));
            for (int i = 0; i < group.size(); i++) {
                Call call = group.get(i);
                answers.check(call.method(), byId.getOrDefault(first + i, MissingNode.getInstance()), first + i, batch.toString());
            }
            return;
        }
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) bodies.add(group.get(i).body(first + i));
        List<JsonNode> got = clients.postAll(bodies);
        for (int i = 0; i < group.size(); i++) answers.check(group.get(i).method(), got.get(i), first + i, bodies.get(i));
    }

    @Example
    void aFirstRestartDelayAboveTheDefaultCeilingIsCarriedOut() {
        // found by the property above: it was -32603 (the policy refused a ceiling below the first delay)
        String body = new Call("service.create", JsonCodec.MAPPER.valueToTree(Map.of("name", "fz_tuned",
                "argv", List.of("/bin/sleep", "30"), "start", false,
                "restart_tuning", Map.of("initial_delay_ms", 3600000, "stable_ms", 2, "start_limit", 1)))).body(0);
        JsonNode answer = clients.post(body);
        assertThat(answer.at("/result/created").asBoolean()).as(answer.toString()).isTrue();
    }

    @Provide
    Arbitrary<String> mangled() {
        return calls().flatMap(call -> {
            String body = call.body(1);
            return Arbitraries.oneOf(
                    Arbitraries.integers().between(0, body.length() - 1).map(cut -> body.substring(0, cut)),
                    Arbitraries.integers().between(0, body.length()).flatMap(at -> Arbitraries.chars()
                            .map(c -> body.substring(0, at) + c + body.substring(at))),
                    Arbitraries.strings().ofMinLength(1).ofMaxLength(5).map(tail -> body + tail),
                    Arbitraries.strings().ofMaxLength(40));
        });
    }

    @Property(tries = 1000)
    void mangledBodiesAreRefusedNeverAnInternalError(@ForAll("mangled") String body) {
        sent.incrementAndGet();
        JsonNode answer = clients.post(body);
        if (answer == null) return;  // a notification: nothing to answer
        for (JsonNode one : answer.isArray() ? answer : JsonCodec.MAPPER.createArrayNode().add(answer)) {
            if (one.has("error")) answers.checkError(one, body);
            if (!body.strip().endsWith("}")) {
                assertThat(one.has("result")).as("only a whole JSON value is carried out: " + body + " -> " + one).isFalse();
            }
        }
    }

    /**
     * A call in UTF-16 or UTF-32, with or without a byte order mark (as a client on a platform whose default is not
     * UTF-8 may send it): refused as a parse error naming the encoding, never carried out as the call it spells.
     */
    @Property(tries = 200)
    void aCallInUtf16OrUtf32IsRefusedNamingItsEncoding(@ForAll("calls") Call call,
                                                       @ForAll("otherEncodings") String encoding, @ForAll boolean mark) {
        sent.incrementAndGet();
        String body = (mark ? "\uFEFF" : "") + call.body(ids.incrementAndGet());
        JsonNode answer = clients.post(body.getBytes(Charset.forName(encoding)));
        answers.checkError(answer, body);
        assertThat(answer.at("/error/code").asInt()).as(encoding + ": " + answer).isEqualTo(-32700);
        assertThat(answer.at("/error/message").asText()).startsWith("parse error: the body is " + encoding + (mark ? " with a byte order mark" : " ("));
    }

    @Provide
    Arbitrary<String> otherEncodings() {
        return Arbitraries.of("UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE");
    }

    @Property(tries = 300)
    void httpGarbageAndPartialRequestsLeaveTheDaemonAnswering(@ForAll byte[] garbage) throws IOException {
        sent.incrementAndGet();
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(d.socket))) {
            raw.write(ByteBuffer.wrap(garbage));
            raw.shutdownOutput();
            var sink = ByteBuffer.allocate(8192);
            while (raw.read(sink.clear()) >= 0) {
                // whatever the daemon answers (400 or nothing); it must close
            }
        } catch (IOException reset) {
            // a reset is an answer too
        }
        // answering, within a bound: one try at load ~10 in CI missed the single 2 s /health once (the daemon answered the
        // class's later tests); a wedged daemon still fails here
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(d::answers);
    }

    /** The limits' load on the same daemon, so its memory is measured under them too: 300 connections held at once. */
    @Example
    void connectionsOverTheCapAreRefusedAndTheirMemoryIsGivenBack() throws IOException {
        List<SocketChannel> held = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(d.socket));
                held.add(c);
                c.write(StandardCharsets.US_ASCII.encode("POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"));
            }
        } finally {
            for (SocketChannel c : held) c.close();
        }
        sent.addAndGet(held.size());
        await().atMost(Duration.ofSeconds(30)).until(d::answers);
    }

    /** The body is read as JSON whatever its Content-Type says (curl -d sends a form's type): the error is the body's. */
    @Example
    void theBodyIsReadAsJsonWhateverTheContentTypeSays() throws IOException {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"rpc.health\"}";
        try (var c = new UnixHttpClient(d.socket, Duration.ofSeconds(30))) {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-8")) {
                JsonNode answer = JsonCodec.MAPPER.readTree(c.post("/rpc", type, call.getBytes(StandardCharsets.UTF_8)).body());
                assertThat(answer.at("/result/pid").asLong()).as(type + ": " + answer).isEqualTo(d.process.pid());
            }
            JsonNode form = JsonCodec.MAPPER.readTree(c.post("/rpc", "application/x-www-form-urlencoded",
                    "name=fz_a&action=start".getBytes(StandardCharsets.UTF_8)).body());
            assertThat(form.at("/error/message").asText()).startsWith("parse error: Unrecognized token 'name'").endsWith("at byte 5");
        }
    }

    @Example
    void aDeclaredBodyOverTheLimitIsRefusedWith413BeforeItIsSent() throws IOException {
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(d.socket))) {
            raw.write(StandardCharsets.US_ASCII.encode("POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2000000\r\n\r\n{"));
            var answer = ByteBuffer.allocate(12);
            while (answer.hasRemaining() && raw.read(answer) >= 0) {
                // the status line
            }
            assertThat(new String(answer.array(), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
        }
        assertThat(d.answers()).isTrue();
    }
}
