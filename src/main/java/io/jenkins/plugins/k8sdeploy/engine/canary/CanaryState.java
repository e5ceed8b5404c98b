package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * A canary's state as annotations on the stable Deployment, so that anyone who can read the Deployment sees where the
 * canary is ({@code kubectl get deploy web -o yaml}) and anyone who may patch it can steer it: the command line writes
 * {@link #COMMAND} to promote or abort a canary that a pipeline drives.
 */
public final class CanaryState {
    private static final String P = "k8s-progressive-delivery.jenkins.io/";
    /** The hash of the canary's pod template: which version is the canary. */
    public static final String REVISION = P + "canary-revision";
    public static final String PLAN = P + "canary-plan";
    /** Index of the plan step being carried out (0-based). */
    public static final String STEP = P + "canary-step";
    public static final String WEIGHT = P + "canary-weight";
    /** The pod count the weights are shares of. */
    public static final String TOTAL = P + "canary-total";
    /** {@link #PROGRESSING}, {@link #PAUSED}, {@link #AWAITING_APPROVAL}, {@link #PROMOTING}, {@link #ABORTING}. */
    public static final String PHASE = P + "canary-phase";
    public static final String MESSAGE = P + "canary-message";
    /** Who drives the canary, and when it last said so. */
    public static final String DRIVER = P + "canary-driver";
    public static final String HEARTBEAT = P + "canary-heartbeat";
    /** Written from outside, taken by the driver: {@link #PROMOTE}, {@link #PROMOTE_FULL} or {@link #ABORT}. */
    public static final String COMMAND = P + "canary-command";
    /**
     * Written by the driver when it refused a command (an approval that only its front end may decide): why, for the
     * one who wrote the command. Cleared with each new command.
     */
    public static final String REFUSED = P + "canary-command-refused";
    /** The router and services, as JSON, so that a later step or the command line can carry on. */
    public static final String ROUTING = P + "canary-routing";
    /** On the canary Deployment: the app's manifest as JSON, which full promotion applies to the stable one. */
    public static final String STABLE_MANIFEST = P + "stable-manifest";
    /** On the canary Deployment and the canary Service: the app they belong to. */
    public static final String CANARY_OF = P + "canary-of";
    /** Pod label that only canary pods carry. */
    public static final String TRACK = P + "track";

    public static final String PROGRESSING = "Progressing";
    public static final String PAUSED = "Paused";
    public static final String AWAITING_APPROVAL = "AwaitingApproval";
    public static final String PROMOTING = "Promoting";
    public static final String ABORTING = "Aborting";

    public static final String PROMOTE = "promote";
    public static final String PROMOTE_FULL = "promote-full";
    public static final String ABORT = "abort";

    /** A driver that has not said anything for this long is gone; another may take over. */
    public static final Duration DRIVER_SILENCE = Duration.ofSeconds(60);

    private CanaryState() {}

    public static Map<String, String> annotations(HasMetadata d) {
        Map<String, String> a = d == null ? null : d.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    /** True when a canary of this Deployment is in progress. */
    public static boolean inProgress(Deployment stable) {
        return annotations(stable).containsKey(REVISION);
    }

    /** True when a driver said within {@link #DRIVER_SILENCE} that it drives the canary, and did not leave it paused. */
    public static boolean driven(Deployment stable, Instant now) {
        Map<String, String> a = annotations(stable);
        if (!a.containsKey(DRIVER) || PAUSED.equals(a.get(PHASE))) {
            return false;
        }
        try {
            return Instant.parse(a.getOrDefault(HEARTBEAT, "")).plus(DRIVER_SILENCE).isAfter(now);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** A merge patch that removes every canary annotation. */
    public static Map<String, Object> clearAll() {
        Map<String, Object> a = new HashMap<>();
        for (String k : new String[] {REVISION, PLAN, STEP, WEIGHT, TOTAL, PHASE, MESSAGE, DRIVER, HEARTBEAT, COMMAND,
                REFUSED, ROUTING}) {
            a.put(k, null);
        }
        return Map.of("metadata", Map.of("annotations", a));
    }

    /** A merge patch setting the given annotations ({@code null} values remove). */
    public static Map<String, Object> set(Map<String, String> annotations) {
        return Map.of("metadata", Map.of("annotations", new HashMap<>(annotations)));
    }

    public static int intOf(Map<String, String> a, String key, int otherwise) {
        try {
            return Integer.parseInt(a.getOrDefault(key, ""));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
