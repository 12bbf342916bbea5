package heromgr.it;

import heromgr.testkit.TestDaemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** The log of a test service's "main" action, read once it holds a marker (the process writes it some time after its start). */
final class MainLog {
    private MainLog() {
    }

    static String awaitContaining(TestDaemon d, String service, String marker) {
        Path log = d.home.resolve("var/log").resolve(service).resolve("main.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log) && Files.readString(log).contains(marker));
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
