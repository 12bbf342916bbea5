package heromgr.api;

/**
 * An RPC error: a code, a message and data (may be null), thrown where the failure is found and answered as the
 * JSON-RPC error object. On the daemon's side data is any object the JSON codec can write; on the client's side it
 * is the JSON the error object carried.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int number;
    private final transient ErrorCode code;
    private final transient Object data;

    public ApiException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public ApiException(ErrorCode code, String message, Object data) {
        this(code, message, data, null);
    }

    public ApiException(ErrorCode code, String message, Object data, Throwable cause) {
        super(message, cause);
        this.number = code.code();
        this.code = code;
        this.data = data;
    }

    /** An error as a client received it: its number may be one this table lacks (a newer daemon's). */
    public static ApiException received(int number, String message, Object data) {
        return new ApiException(number, message, data);
    }

    private ApiException(int number, String message, Object data) {
        super(message);
        this.number = number;
        this.code = ErrorCode.byNumber(number);
        this.data = data;
    }

    /** The code; null only for a received number outside the table. */
    public ErrorCode code() {
        return code;
    }

    /** The code's number as on the wire (also when {@link #code()} is null). */
    public int number() {
        return number;
    }

    public Object data() {
        return data;
    }
}
