package heromgr.it;

import heromgr.testkit.TestDaemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What a test asks a daemon about one service: its state word, and when its first action's process started. */
record ServiceProbe(TestDaemon d) {

    String state(String name) {
        return d.result("service.status", Map.of("name", name)).get("state").asText();
    }

    /** The process's start time in clock ticks since boot (/proc/PID/stat field 22): what orders two starts. */
    long startTicks(String name) throws IOException {
        long pid = d.result("service.status", Map.of("name", name)).at("/actions/0/pid").asLong();
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    }
}
