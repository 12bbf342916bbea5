package heromgr.server;

import heromgr.rpc.Access;
import heromgr.rpc.Caller;
import heromgr.rpc.JsonRpcProcessor;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs the read calls' JSON-RPC path once, in-process, while the daemon's start-up goes on to Jetty: a daemon's very
 * first answer otherwise pays for Jackson's first serialization (its serializer factory and caches: ~0.1 s of
 * interpreted code, measured between the call's result and its bytes), and the first client waits for it.
 * The calls only read: service.list and the status of a service no daemon has (its not-found answer), through a
 * processor that meters nothing, so /metrics counts only what clients asked.
 */
final class FirstCallPrimer {
    /** A name the document's pattern accepts; a service so named would only be read. */
    static final String ABSENT_SERVICE = "heromgr_primer_absent";
    static final List<byte[]> CALLS = List.of(
            call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.list\"}"),
            call("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"service.status\",\"params\":{\"name\":\"" + ABSENT_SERVICE + "\"}}"));
    private static final Caller PRIMER = new Caller("heromgr-primer", Access.READ);

    private FirstCallPrimer() {
    }

    /** Starts the calls on a thread of its own; a failure is the real call's to meet and report, so it is dropped here. */
    static Thread start(JsonRpcProcessor unmetered) {
        return Thread.ofPlatform().daemon().name("heromgr-first-call").start(() -> {
            for (byte[] call : CALLS) {
                try {
                    unmetered.process(call, PRIMER);
                } catch (RuntimeException ignored) {
                    // the same call from a client answers its internal error and logs it
                }
            }
        });
    }

    private static byte[] call(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
