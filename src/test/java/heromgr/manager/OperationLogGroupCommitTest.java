package heromgr.manager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Concurrent operations share fsyncs, yet every line reaches the file once, in the order the log holds them. */
class OperationLogGroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void concurrentRecordsAreAllOnDiskInMemoryOrderAcrossCompactions() throws Exception {
        int retain = 150;
        OperationLog log = new OperationLog(dir, retain);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                String service = "svc" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) log.record("service.stop", service, null, "uid 0", null, () -> "ok");
                }));
            }
            for (Future<?> f : done) f.get();
        }
        List<String> inMemory = ids(log.query(null, Integer.MAX_VALUE));
        assertThat(inMemory).hasSize(retain).doesNotHaveDuplicates();
        // 800 appends with retain 150 compacted the file several times: a reload must see exactly what memory holds
        List<String> reloaded = ids(new OperationLog(dir, retain).query(null, Integer.MAX_VALUE));
        assertThat(reloaded).isEqualTo(inMemory);
        assertThat(lines()).doesNotHaveDuplicates().hasSizeLessThan(2 * retain).containsAll(inMemory);
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(dir.resolve("ops.jsonl")).stream().map(l -> l.substring(7, l.indexOf('"', 7))).toList();
    }

    private static List<String> ids(List<OperationLog.Entry> entries) {
        return entries.stream().map(OperationLog.Entry::id).toList();
    }
}
