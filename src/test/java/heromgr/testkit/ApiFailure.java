package heromgr.testkit;

import heromgr.api.ApiException;

/**
 * How an operation failed, as the API answers it: the stable error code (-32001…), the message and the data. The one
 * place tests name the exception type that carries it, so a test says what a caller sees, not how the code throws it.
 */
public record ApiFailure(int code, String message, Object data) {

    /** The failure op ends with; an AssertionError when it succeeds or fails some other way. */
    public static ApiFailure of(Runnable op) {
        try {
            op.run();
        } catch (ApiException e) {
            return new ApiFailure(e.number(), e.getMessage(), e.data());
        } catch (RuntimeException e) {
            throw new AssertionError("expected a failure with an API error code, got " + e, e);
        }
        throw new AssertionError("expected a failure with an API error code, but the operation succeeded");
    }
}
