package heromgr.proc.embedded;

import heromgr.fs.LogFiles;
import heromgr.proc.ActionSpec;
import heromgr.proc.SupervisorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The log set-up before a spawn: a first start makes the folder by one mkdir and checks nothing inside it (a folder
 * made just now holds nothing); whatever is already at the folder's place is checked as before, links refused.
 */
class SpawnerLogTest {
    @TempDir
    Path tmp;

    private ActionSpec spec(Path logFile) {
        return ActionSpec.process("main", List.of("/bin/true"), Map.of(), tmp, logFile);
    }

    @Test
    void aFirstStartMakesTheMissingFolderAndItsParentsEmpty() throws IOException {
        Path log = tmp.resolve("var/log/svc/main.log");
        Spawner.prepareLog(spec(log));
        assertThat(log.getParent()).isDirectory();
        try (var inside = Files.list(log.getParent())) {
            assertThat(inside).as("the logs are the spawn's to open").isEmpty();
        }
    }

    @Test
    void aDanglingLinkInTheFoldersPlaceIsRefusedAndNothingIsMadeWhereItLeads() throws IOException {
        Path target = tmp.resolve("elsewhere");
        Path folder = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("var/log")).resolve("svc"), target);
        assertThatThrownBy(() -> Spawner.prepareLog(spec(folder.resolve("main.log"))))
                .isInstanceOf(SupervisorException.class).hasMessageContaining(folder.toString()).hasMessageContaining("symbolic link");
        assertThat(target).doesNotExist();
        assertThat(Files.isSymbolicLink(folder)).isTrue();
    }

    @Test
    void aLinkedLogFileInAnExistingFolderIsRefusedAsBefore() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("var/log/svc"));
        Path log = folder.resolve("main.log");
        Path stderr = Files.createSymbolicLink(LogFiles.stderrOf(log), tmp.resolve("elsewhere"));
        assertThatThrownBy(() -> Spawner.prepareLog(spec(log)))
                .isInstanceOf(SupervisorException.class).hasMessageContaining(stderr.toString()).hasMessageContaining("symbolic link");
        assertThat(Files.exists(stderr, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(tmp.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void aFileInTheFoldersPlaceFailsNamingTheFolder() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("var/log")).resolve("svc");
        Files.writeString(folder, "not a folder");
        assertThatThrownBy(() -> Spawner.prepareLog(spec(folder.resolve("main.log"))))
                .isInstanceOf(SupervisorException.class).hasMessageContaining("cannot create the log folder " + folder);
    }
}
