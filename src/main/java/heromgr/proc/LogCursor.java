package heromgr.proc;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A reader of one action's log from a position on: it starts at the log's end, with the lines just before it, and
 * each read returns what was written since. A supervisor that rotates logs keeps the reader's place across rotations
 * (no byte repeated, none skipped).
 */
public interface LogCursor {
    Path file();

    /** The lines before the position the cursor started at (the newest ones asked for, oldest first). */
    List<String> lastLines();

    /**
     * Whether the last read started again at the live file's first byte, because the file shrank without a
     * rotation: a line the reader has half seen will not be finished.
     */
    boolean restarted();

    /** Reads the next bytes into buf (cleared first; flipped for reading after); 0 when nothing new was written. */
    int read(ByteBuffer buf);
}
