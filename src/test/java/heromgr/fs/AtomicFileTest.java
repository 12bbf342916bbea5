package heromgr.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A file written from pieces holds exactly their concatenation, whatever the pieces' sizes against the write chunk. */
class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void piecesLargerAndSmallerThanAChunkAreWrittenInOrder() throws IOException {
        List<byte[]> pieces = new ArrayList<>();
        var expected = new ByteArrayOutputStream();
        for (int size : new int[]{0, 1, 1000, 70_000, 3, 65_536, 200_000, 65_535, 17}) {
            byte[] piece = new byte[size];
            for (int i = 0; i < size; i++) piece[i] = (byte) (i * 31 + size);
            pieces.add(piece);
            expected.writeBytes(piece);
        }
        Path file = dir.resolve("runtime.json");
        Files.writeString(file, "old content, longer than nothing");

        AtomicFile.replace(file, pieces);

        assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
        try (var left = Files.list(dir)) {
            assertThat(left).as("no temp file left behind").containsExactly(file);
        }
    }

    @Test
    void onePieceIsWrittenAsItIs() throws IOException {
        Path file = dir.resolve("def.json");
        AtomicFile.replace(file, List.of("{}".getBytes()));
        assertThat(file).hasContent("{}");
    }
}
