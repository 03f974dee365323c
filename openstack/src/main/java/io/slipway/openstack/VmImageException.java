package io.slipway.openstack;

/**
 * A VM stage that could not complete, with the {@link VmFailureReason} a stage publishes as {@code BuildFailed}
 * and a bounded log excerpt (the tail of the server's console, when there is one).
 */
public final class VmImageException extends RuntimeException {

    /** Log excerpts are cut to their last characters so a failure event stays small. */
    public static final int MAX_EXCERPT = 4000;

    private final VmFailureReason reason;
    private final String logExcerpt;

    public VmImageException(VmFailureReason reason, String message) {
        this(reason, message, null, "");
    }

    public VmImageException(VmFailureReason reason, String message, Throwable cause) {
        this(reason, message, cause, "");
    }

    private VmImageException(VmFailureReason reason, String message, Throwable cause, String logExcerpt) {
        super(message, cause);
        this.reason = reason;
        this.logExcerpt = tail(logExcerpt);
    }

    public VmFailureReason reason() {
        return reason;
    }

    public boolean retryable() {
        return reason.retryable();
    }

    /** The last {@link #MAX_EXCERPT} characters of the relevant log, or empty. */
    public String logExcerpt() {
        return logExcerpt;
    }

    /** The same failure carrying {@code log} (cut to its tail) as its excerpt. */
    public VmImageException withLogExcerpt(String log) {
        VmImageException copy = new VmImageException(reason, getMessage(), getCause(), log);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    static String tail(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_EXCERPT ? text : text.substring(text.length() - MAX_EXCERPT);
    }
}
