package heromgr.proc.os;

import heromgr.fs.AtomicFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime state's rewrite through a spare: the same two files over and over, the content always whole. */
class RenameExchangeTest {
    @TempDir
    Path dir;

    @Test
    void twoNamesSwapTheirFiles() throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "A");
        Path b = Files.writeString(dir.resolve("b"), "B");
        assertThat(RenameExchange.swap(a, b)).isTrue();
        assertThat(a).hasContent("B");
        assertThat(b).hasContent("A");
        assertThatThrownBy(() -> RenameExchange.swap(a, dir.resolve("absent"))).hasMessageContaining("absent").hasMessageContaining("No such file");
    }

    @Test
    void repeatedWritesReuseTwoFilesAndLeaveTheWholeContent() throws IOException {
        Path file = dir.resolve("runtime.json");
        Set<Object> inodes = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            // shorter and longer contents in turn: the spare is cut to the new length
            String content = "{\"write\":" + i + "}" + "x".repeat(i % 2 == 0 ? 5000 : 3);
            AtomicFile.replace(file, List.of(content.getBytes(StandardCharsets.UTF_8)), RenameExchange::swap);
            assertThat(file).hasContent(content);
            inodes.add(Files.getAttribute(file, "unix:ino"));
        }
        assertThat(inodes).as("the first write makes the file, the second the spare; no write after them makes one").hasSize(2);
        Path spare = dir.resolve(".runtime.json.spare");
        assertThat(spare).content().startsWith("{\"write\":10}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aLinkPlantedAsTheSpareIsReplacedNotFollowed() throws IOException {
        Path file = dir.resolve("runtime.json");
        AtomicFile.replace(file, List.of("first".getBytes()), RenameExchange::swap);
        Path victim = Files.writeString(dir.resolve("victim"), "untouched");
        Files.createSymbolicLink(dir.resolve(".runtime.json.spare"), victim);

        AtomicFile.replace(file, List.of("second".getBytes()), RenameExchange::swap);

        assertThat(file).hasContent("second");
        assertThat(victim).hasContent("untouched");
        assertThat(dir.resolve(".runtime.json.spare")).isRegularFile().hasContent("first");
    }

    @Test
    void withoutTheExchangeTheSpareIsRenamedIntoPlace() throws IOException {
        Path file = dir.resolve("runtime.json");
        AtomicFile.replace(file, List.of("first".getBytes()), (a, b) -> false);
        AtomicFile.replace(file, List.of("second".getBytes()), (a, b) -> false);
        assertThat(file).hasContent("second");
        assertThat(dir.resolve(".runtime.json.spare")).doesNotExist();
    }
}
