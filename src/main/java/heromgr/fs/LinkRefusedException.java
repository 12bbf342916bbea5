package heromgr.fs;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A symbolic link found where heromgr opens or makes a file under a confined home: refused, never followed. */
public final class LinkRefusedException extends FileSystemException {
    public LinkRefusedException(Path link) {
        super(link.toString(), null, "is a symbolic link" + leadingTo(link) + "; heromgr does not follow links under $HERO_HOME");
    }

    private static String leadingTo(Path link) {
        try {
            return " (to " + Files.readSymbolicLink(link) + ")";
        } catch (Exception gone) {
            return "";
        }
    }
}
