package heromgr.proc.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The directories of killed daemons: left alone by the set-up, removed by the tidy-up the daemon runs once it serves. */
class AbandonedControlGroupsTest {
    @TempDir
    Path parent;

    @Test
    void theSetUpLeavesThemAndTheTidyUpRemovesTheEmptyOnesOnly() throws IOException {
        Files.writeString(parent.resolve("cgroup.controllers"), ""); // what makes it a cgroup v2 directory to under()
        Path abandoned = Files.createDirectory(parent.resolve("heromgr-0123456789ab"));
        Path withLeaf = Files.createDirectories(parent.resolve("heromgr-ba9876543210").resolve("web.main"));
        Path other = Files.createDirectory(parent.resolve("someone-else"));

        var groups = ControlGroups.under(parent, "/home/x/var/heromgr/runtime.json");
        Path own = groups.directory().orElseThrow();
        assertThat(abandoned).as("not removed by the set-up").isDirectory();

        groups.removeAbandoned();
        assertThat(abandoned).doesNotExist();
        assertThat(withLeaf).as("a cgroup with leaves is kept").isDirectory();
        assertThat(other).isDirectory();
        assertThat(own).isDirectory();
    }
}
