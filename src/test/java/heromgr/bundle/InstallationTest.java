package heromgr.bundle;

import heromgr.fs.HeroPaths;
import heromgr.testkit.FileTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Versions side by side in a Hero home: the link switched, the previous version kept, older ones removed. */
class InstallationTest {
    private final Path dir;
    private final Installation installation;

    InstallationTest() throws IOException {
        dir = Files.createTempDirectory("heromgr-installation-test");
        installation = new Installation(HeroPaths.fromEnvironment(Map.of(), dir.resolve("hero")));
    }

    @AfterEach
    void removeDir() throws IOException {
        FileTree.delete(dir);
    }

    @Test
    void eachInstallSwitchesTheLinkAndKeepsTheOneBefore() throws IOException {
        assertThat(installation.current()).isEmpty();
        var first = installation.install(Bundle.at(bundle("0.1.0")).orElseThrow(), false);
        assertThat(first.previous()).isEmpty();
        assertThat(installation.current()).contains("0.1.0");
        assertThat(Files.readSymbolicLink(installation.link())).isEqualTo(Path.of("../lib/heromgr/0.1.0/bin/heromgr"));
        assertThat(Files.getLastModifiedTime(installation.folder("0.1.0").resolve("heromgr.jar")))
                .as("times kept (the AOT caches are checked against them)").isEqualTo(FileTime.fromMillis(1_600_000_000_000L));

        assertThat(installation.install(Bundle.at(bundle("0.1.0")).orElseThrow(), false).copied()).as("installed already").isFalse();
        assertThat(installation.install(Bundle.at(bundle("0.2.0")).orElseThrow(), false).previous()).contains("0.1.0");
        assertThat(installation.install(Bundle.at(bundle("0.3.0")).orElseThrow(), false).previous()).contains("0.2.0");
        assertThat(installation.current()).contains("0.3.0");
        assertThat(installation.installed()).containsExactlyInAnyOrder("0.2.0", "0.3.0");
        assertThatThrownBy(() -> installation.remove("0.3.0")).hasMessageContaining("current");
    }

    @Test
    void aFolderWithoutItsPartsIsNoBundle() throws IOException {
        Path b = bundle("0.1.0");
        Files.delete(b.resolve("runtime/bin/java"));
        assertThat(Bundle.at(b)).isEmpty();
        Path bad = bundle("../x");
        assertThat(Bundle.at(bad)).as("a version that is no folder name").isEmpty();
    }

    private Path bundle(String version) throws IOException {
        Path root = Files.createTempDirectory(dir, "bundle");
        for (String exe : new String[] {"bin/heromgr", "runtime/bin/java"}) {
            Files.createDirectories(root.resolve(exe).getParent());
            Files.writeString(root.resolve(exe), "#!/bin/sh\n");
            Files.setPosixFilePermissions(root.resolve(exe), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(root.resolve("heromgr.jar"), "jar");
        Files.setLastModifiedTime(root.resolve("heromgr.jar"), FileTime.fromMillis(1_600_000_000_000L));
        Files.writeString(root.resolve("VERSION"), version + "\n");
        return root;
    }
}
