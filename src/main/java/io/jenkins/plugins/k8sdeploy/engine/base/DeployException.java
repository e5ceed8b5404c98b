package io.jenkins.plugins.k8sdeploy.engine.base;

/**
 * Something the user can fix: bad input, a cluster that refuses us, a rollout that failed.
 *
 * <p>The message is shown to the user as it is, without a stack trace, so it must say in one paragraph what was
 * expected and what was found. A bug is never a {@code DeployException}: it stays a stack trace.
 */
public class DeployException extends Exception {
    private static final long serialVersionUID = 1L;

    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
