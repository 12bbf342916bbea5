package heromgr.proc;

/** Resource limits applied to an action's process (soft = hard). 0 means "inherit the daemon's". */
public record ResourceLimits(long openFiles) {
    public static final ResourceLimits INHERIT = new ResourceLimits(0);

    public ResourceLimits {
        if (openFiles < 0) throw new IllegalArgumentException("limits openFiles must not be negative: " + openFiles);
    }

    public boolean inherits() {
        return openFiles == 0;
    }
}
