package heromgr.api;

/**
 * Every error code the API answers: JSON-RPC's own protocol codes and heromgr's domain codes. What each means is
 * written once, in the OpenRPC document's components/errors, keyed by the constant's name in PascalCase
 * (NOT_APPLICABLE → NotApplicable); a test keeps this table and that one equal, so no code is added here without
 * its meaning there.
 */
public enum ErrorCode {
    PARSE_ERROR(-32700),
    INVALID_REQUEST(-32600),
    METHOD_NOT_FOUND(-32601),
    INVALID_PARAMS(-32602),
    INTERNAL_ERROR(-32603),
    SERVICE_NOT_FOUND(-32001),
    BUILD_FAILED(-32002),
    INSTALL_FAILED(-32003),
    START_FAILED(-32004),
    TIMEOUT(-32005),
    DEPENDENCY_NOT_RUNNING(-32006),
    SERVICE_EXISTS(-32007),
    DOWNLOAD_FAILED(-32008),
    VERIFICATION_FAILED(-32009),
    DEPENDENTS_RUNNING(-32010),
    NOT_APPLICABLE(-32011),
    FORBIDDEN(-32012),
    STORAGE_FAILED(-32013);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The code with this number, or null when the table has none (a newer daemon's code, seen by an older client). */
    static ErrorCode byNumber(int number) {
        for (ErrorCode c : values()) {
            if (c.code == number) return c;
        }
        return null;
    }
}
