package heromgr.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The first link on the way from the home down to a path: a start refuses a log path that runs through one. */
class HeroPathsTest {
    @TempDir
    Path root;

    @Test
    void theFirstFolderThatIsALinkIsNamedDanglingOrNotAndAMissingFolderEndsTheWalk() throws Exception {
        Path home = Files.createDirectories(root.resolve("home"));
        var paths = new HeroPaths(home, home.resolve("var/sockets"), root.resolve("code"));
        Path logs = Files.createDirectories(home.resolve("var/log"));

        assertThat(paths.linkOnTheWay(logs.resolve("new/main.log"))).as("a new service's folder, not made yet").isEmpty();

        Files.createDirectory(logs.resolve("made"));
        assertThat(paths.linkOnTheWay(logs.resolve("made/main.log"))).isEmpty();

        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.createSymbolicLink(logs.resolve("linked"), elsewhere);
        assertThat(paths.linkOnTheWay(logs.resolve("linked/main.log"))).isEqualTo(Optional.of(logs.resolve("linked")));

        Files.createSymbolicLink(logs.resolve("dangling"), root.resolve("gone"));
        assertThat(paths.linkOnTheWay(logs.resolve("dangling/main.log"))).isEqualTo(Optional.of(logs.resolve("dangling")));

        Files.createDirectory(logs.resolve("file-linked"));
        Files.createSymbolicLink(logs.resolve("file-linked/main.log"), root.resolve("gone.log"));
        assertThat(paths.linkOnTheWay(logs.resolve("file-linked/main.log"))).isEqualTo(Optional.of(logs.resolve("file-linked/main.log")));

        assertThat(paths.linkOnTheWay(root.resolve("outside/main.log"))).as("not under the home").isEmpty();
    }
}
