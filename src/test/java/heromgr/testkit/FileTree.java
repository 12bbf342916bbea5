package heromgr.testkit;

import heromgr.fs.DirectoryTree;

import java.io.IOException;
import java.nio.file.Path;

/** Removing a folder a test made, with everything in it. */
public final class FileTree {
    private FileTree() {
    }

    public static void delete(Path dir) throws IOException {
        DirectoryTree.delete(dir);
    }
}
