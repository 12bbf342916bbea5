package heromgr.service;

import java.util.Locale;
import java.util.Optional;

/**
 * What one of a Hero service's binaries is for, by the Hero conventions: the server ({@code <svc>_server} on
 * {@code <svc>/rpc.sock}), the admin UI ({@code <svc>_admin} on {@code admin.sock}, formerly {@code _ui}), the web
 * front ({@code <svc>_web} on {@code web.sock}), and the CLI ({@code <svc>}, installed for people, never run by the
 * manager). Every role but the CLI is one long-running action named after the role.
 */
public enum Role {
    CLI("", null),
    SERVER("_server", "rpc.sock"),
    ADMIN("_admin", "admin.sock"),
    WEB("_web", "web.sock");

    private final String binarySuffix;
    private final String socketFile;

    Role(String binarySuffix, String socketFile) {
        this.binarySuffix = binarySuffix;
        this.socketFile = socketFile;
    }

    /** The conventional binary of this role for a service: {@code hero_db} → {@code hero_db_admin}. */
    public String binary(String service) {
        return service + binarySuffix;
    }

    /** The socket file this role serves in the service's socket folder; empty for the CLI, which serves none. */
    public Optional<String> socketFile() {
        return Optional.ofNullable(socketFile);
    }

    public boolean runs() {
        return socketFile != null;
    }

    /** The action's name: server, admin, web. */
    public String action() {
        return name().toLowerCase(Locale.ROOT);
    }
}
