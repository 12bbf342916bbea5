package heromgr.service;

/**
 * The stable domain error codes of the service.* API (JSON-RPC's own codes are -32700..-32600).
 * Each is listed with its meaning in openrpc/service_manager.openrpc.json; a test keeps the two equal.
 */
public enum ErrorCode {
    SERVICE_NOT_FOUND(-32001, "no service with that name is registered"),
    BUILD_FAILED(-32002, "the build command failed; data.output holds the last 200 lines"),
    INSTALL_FAILED(-32003, "the binaries could not be installed (nothing built, or a file could not be written)"),
    START_FAILED(-32004, "a process could not be spawned (binary missing, not executable, bad working directory)"),
    TIMEOUT(-32005, "the operation did not finish within its timeout (e.g. a started service never became healthy)"),
    DEPENDENCY_NOT_RUNNING(-32006, "a dependency of the service is not running"),
    SERVICE_EXISTS(-32007, "service already exists: the name is taken by a class-defined or an earlier created service"),
    DOWNLOAD_FAILED(-32008, "a release could not be fetched from the forge (unknown tag, missing asset, HTTP error, "
            + "token refused, connection cut, timeout); nothing in bin/ changed"),
    VERIFICATION_FAILED(-32009, "a binary failed verification (not an ELF file, checksum mismatch); nothing in bin/ changed"),
    DEPENDENTS_RUNNING(-32010, "other services depend on this one (running, or transient ones that would be left dangling): "
            + "stop or delete them first, or pass cascade"),
    NOT_APPLICABLE(-32011, "the operation does not apply to this kind of service (e.g. build of a transient service)");

    private final int code;
    private final String meaning;

    ErrorCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
