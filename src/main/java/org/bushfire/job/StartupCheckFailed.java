package org.bushfire.job;

/**
 * The job cannot start because an outside system is not as configured: a topic that does not exist, an
 * endpoint nobody answers on, an index mapped differently. The message says what to fix; no stack trace helps.
 */
public class StartupCheckFailed extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public StartupCheckFailed(String message) {
        super(message);
    }

    public StartupCheckFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
