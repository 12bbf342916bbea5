package heromgr.service;

/** A domain failure the API reports with a stable code; data (may be null) is returned as the error's data. */
public class HeroException extends RuntimeException {
    private final ErrorCode code;
    private final transient Object data;

    public HeroException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public HeroException(ErrorCode code, String message, Object data, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.data = data;
    }

    public ErrorCode code() {
        return code;
    }

    public Object data() {
        return data;
    }
}
