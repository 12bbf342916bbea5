package heromgr.api;

import java.util.Locale;

/** Where installed binaries come from: the service's own build, or a release on the forge. */
public enum InstallMode {
    SOURCE, DOWNLOAD;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
