package heromgr.service;

/**
 * Told each line cargo writes while a build runs, as it writes it (its output is also kept whole in the build's log
 * file). Called on the thread that reads cargo's output: an implementation must return quickly and never block.
 */
@FunctionalInterface
public interface BuildOutput {
    BuildOutput NONE = line -> { };

    void line(String line);
}
