package io.jenkins.plugins.k8sdeploy.engine.rollout;

/**
 * Where one workload's rollout stands, with a message a user reads in the log: "2 of 3 updated replicas are
 * available", "pod web-7c9 cannot start: CrashLoopBackOff ...".
 */
public record RolloutStatus(Phase phase, String message) implements java.io.Serializable {

    public enum Phase {
        /** Still moving; the message says what it waits for. */
        PROGRESSING,
        /** Finished by the kind's own rule. */
        DONE,
        /** Cannot finish: a deadline passed, a pod cannot start, the object went away. */
        FAILED
    }

    public static RolloutStatus progressing(String message) {
        return new RolloutStatus(Phase.PROGRESSING, message);
    }

    public static RolloutStatus done(String message) {
        return new RolloutStatus(Phase.DONE, message);
    }

    public static RolloutStatus failed(String message) {
        return new RolloutStatus(Phase.FAILED, message);
    }

    public boolean isDone() {
        return phase == Phase.DONE;
    }

    public boolean isFailed() {
        return phase == Phase.FAILED;
    }
}
