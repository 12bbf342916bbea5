package heromgr.service;

/** Where installed binaries come from: the service's own build, or a forge release (a later issue). */
public enum InstallMode {
    SOURCE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
