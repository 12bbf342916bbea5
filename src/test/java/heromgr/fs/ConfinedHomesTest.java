package heromgr.fs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Promise 2 of docs/reliability.md for the files heromgr writes by path: under a confined home no write follows a
 * symbolic link on the way (binaries in bin/, libraries in lib/, configuration in cfg/, state), it is refused naming
 * the link, and nothing is written where it leads; outside every confined home paths are opened as before.
 */
class ConfinedHomesTest {
    @TempDir
    Path root;
    Path home;
    Path outside;

    @BeforeEach
    void confine() throws IOException {
        home = Files.createDirectories(root.resolve("home"));
        outside = Files.createDirectories(root.resolve("outside"));
        ConfinedHomes.confine(home);
    }

    void assertNothingOutside() throws IOException {
        try (var files = Files.list(outside)) {
            assertThat(files).as("nothing written where the link leads").isEmpty();
        }
    }

    @Test
    void aPathUnderNestedHomesBelongsToTheDeepestAndOutsideToNone() throws IOException {
        Path inner = Files.createDirectories(home.resolve("run"));
        ConfinedHomes.confine(inner);
        assertThat(ConfinedHomes.homeOf(inner.resolve("heromgr.sock"))).contains(inner);
        assertThat(ConfinedHomes.homeOf(home.resolve("var/log/a/main.log"))).contains(home);
        assertThat(ConfinedHomes.homeOf(home)).contains(home);
        assertThat(ConfinedHomes.homeOf(outside.resolve("x"))).isEmpty();
    }

    @Test
    void anAtomicWriteThroughALinkedFolderIsRefusedNamingTheLink() throws IOException {
        Path link = Files.createSymbolicLink(home.resolve("cfg"), outside);

        assertThatThrownBy(() -> AtomicFile.write(home.resolve("cfg/livekit/credentials"), "secret".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(LinkRefusedException.class).hasMessageContaining(link.toString()).hasMessageContaining("symbolic link");
        assertNothingOutside();
    }

    @Test
    void aBinaryIsNeitherStagedNorPlacedThroughALinkedBinFolder() throws IOException {
        Path link = Files.createSymbolicLink(home.resolve("bin"), outside);
        Path staged = Files.writeString(root.resolve("staged"), "#!/bin/sh\n");

        assertThatThrownBy(() -> AtomicFile.tempBeside(home.resolve("bin/hero_x"))).hasMessageContaining(link.toString());
        assertThatThrownBy(() -> AtomicFile.copy(staged, home.resolve("bin/hero_x"), PosixFilePermissions.fromString("rwxr-xr-x"),
                FileTime.from(Instant.now()))).hasMessageContaining(link.toString());
        assertThatThrownBy(() -> AtomicFile.moveIntoPlace(staged, home.resolve("bin/hero_x"))).hasMessageContaining(link.toString());
        assertThat(staged).exists();
        assertNothingOutside();
    }

    @Test
    void aLinkDeepOnTheWayIsRefusedAndNoFolderIsMadeBeyondIt() throws IOException {
        Files.createDirectories(home.resolve("lib"));
        Path link = Files.createSymbolicLink(home.resolve("lib/onnxruntime"), outside);

        assertThatThrownBy(() -> ConfinedHomes.makeFolder(home.resolve("lib/onnxruntime/1.20/lib")))
                .isInstanceOf(LinkRefusedException.class).hasMessageContaining(link.toString());
        assertThatThrownBy(() -> ConfinedHomes.refuseLinks(home.resolve("lib/onnxruntime/1.20"))).hasMessageContaining(link.toString());
        assertNothingOutside();
    }

    @Test
    void missingFoldersAreMadeAndALinkAtTheTargetItselfIsReplacedNotFollowed() throws IOException {
        Path elsewhere = Files.writeString(outside.resolve("elsewhere"), "keep");
        Path target = home.resolve("var/heromgr/installed/hero_x.json");
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(target, elsewhere);

        AtomicFile.write(target, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.isSymbolicLink(target)).isFalse();
        assertThat(Files.readString(target)).isEqualTo("{}");
        assertThat(Files.readString(elsewhere)).isEqualTo("keep");
        AtomicFile.replace(home.resolve("var/heromgr/new/runtime.json"), "[]".getBytes(StandardCharsets.UTF_8));
        assertThat(home.resolve("var/heromgr/new/runtime.json")).hasContent("[]");
    }

    @Test
    void outsideEveryConfinedHomeALinkedFolderIsWrittenThroughAsBefore() throws IOException {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(root.resolve("free"), elsewhere);

        AtomicFile.write(link.resolve("file"), "x".getBytes(StandardCharsets.UTF_8));

        assertThat(elsewhere.resolve("file")).hasContent("x");
    }

    @Test
    void aFailedWriteNamesTheFileAndTheCauseInWords() {
        var named = new FileSystemException("/h/var/heromgr/runtime.json", null, "No space left on device");

        assertThat(FailureCause.describe(named)).isEqualTo("/h/var/heromgr/runtime.json: no space left on device");
        assertThat(FailureCause.isStorage(named)).isTrue();
        assertThat(FailureCause.inWords(new IOException("Read-only file system"))).isEqualTo("read-only file system");
        assertThat(FailureCause.isStorage(new IOException("Connection reset"))).isFalse();
    }
}
