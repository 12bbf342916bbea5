package heromgr.proc.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading procfs to its end (it reports a size of 0), and a file larger than the first read. */
class ProcTableTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsReadWholeWhateverItsSizeAndProcfsToItsEnd() throws Exception {
        String big = "x".repeat(5000) + "\nend";
        Path file = Files.writeString(dir.resolve("big"), big, StandardCharsets.ISO_8859_1);
        assertThat(ProcTable.read(file)).isEqualTo(big);
        assertThat(ProcTable.read(Files.writeString(dir.resolve("empty"), ""))).isEmpty();

        long self = ProcessHandle.current().pid();
        String stat = ProcTable.read(Path.of("/proc/" + self + "/stat"));
        assertThat(stat).startsWith(self + " (").endsWith("\n");
        assertThat(ProcTable.stat(self)).hasValueSatisfying(s -> assertThat(s.startTicks()).isPositive());
        assertThat(ProcTable.read(Path.of("/proc/self/cmdline"))).contains("java");
    }
}
