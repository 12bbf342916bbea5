package heromgr.proc;

/** A supervisor operation that could not be carried out; the message says which action and why. */
public class SupervisorException extends RuntimeException {
    public SupervisorException(String message) {
        super(message);
    }

    public SupervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
