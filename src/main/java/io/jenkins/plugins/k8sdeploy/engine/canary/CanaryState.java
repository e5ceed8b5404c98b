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
    /**
     * Written from outside, taken by the driver: {@link #PROMOTE}, {@link #PROMOTE_FULL} or {@link #ABORT}, as
     * {@link Command#encode()} writes it (with an id, a time and an expiry) or the word alone (by hand).
     */
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

    /**
     * How long an abort waits for the canary's driver to take it before it takes over the canary and aborts it
     * itself: a driver that is alive takes a command within a tick, and one that is dead must not hold an abort up.
     */
    public static final Duration ABORT_TAKEOVER = Duration.ofMillis(1500);

    /**
     * A command for the driver: its word, an id (so its writer knows when it was taken), when it was written and when
     * it stops holding (its writer gives up waiting then). A driver takes a command once, and ignores one that has
     * expired, so a command left behind by a writer that died is never obeyed later. A word alone, written by hand,
     * has no id or times and holds until a driver takes it.
     *
     * <pre>{@code
     * abort id=5f1c0e2a at=2026-12-04T22:30:00Z expires=2026-12-04T22:40:00Z
     * }</pre>
     */
    public record Command(String word, String id, Instant at, Instant expires) implements java.io.Serializable {
        static Command of(String word, Instant now, Duration valid) {
            return new Command(word, java.util.UUID.randomUUID().toString().substring(0, 8), now, now.plus(valid));
        }

        /** The annotation's value: the word, then {@code id=}, {@code at=} and {@code expires=}. */
        String encode() {
            return word + (id == null ? "" : " id=" + id + " at=" + at + " expires=" + expires);
        }

        /** The command an annotation holds; fields it cannot read are left out (a garbled time never expires it). */
        static Command parse(String value) {
            String[] parts = value.strip().split("\\s+");
            String id = null;
            Instant at = null;
            Instant expires = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                try {
                    if (p.startsWith("id=")) {
                        id = p.substring(3);
                    } else if (p.startsWith("at=")) {
                        at = Instant.parse(p.substring(3));
                    } else if (p.startsWith("expires=")) {
                        expires = Instant.parse(p.substring(8));
                    }
                } catch (DateTimeParseException e) {
                    // left out
                }
            }
            return new Command(parts[0], id, at, expires);
        }

        boolean expired(Instant now) {
            return expires != null && !now.isBefore(expires);
        }

        /** True when {@code value} (an annotation's, or null) is this very command. */
        boolean is(String value) {
            if (value == null) {
                return false;
            }
            Command other = parse(value);
            return word.equals(other.word) && java.util.Objects.equals(id, other.id);
        }
    }

    /** When the driver last said it drives the canary, or null. */
    public static Instant heartbeat(Deployment stable) {
        try {
            return Instant.parse(annotations(stable).getOrDefault(HEARTBEAT, ""));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Who drives the canary, for a status line: "driven by k8spd 123@ci (heard from 4 s ago)", "paused by ..." when
     * the plan left it to a promote or abort, or that its driver is gone (silent for {@link #DRIVER_SILENCE}).
     */
    public static String driverLine(Deployment stable, Instant now) {
        Map<String, String> a = annotations(stable);
        String who = a.get(DRIVER);
        if (who == null) {
            return "driven by nobody";
        }
        if (PAUSED.equals(a.get(PHASE))) {
            return "paused by " + who + ", which left it to a promote or abort";
        }
        Instant heard = heartbeat(stable);
        if (heard == null) {
            return "driven by " + who;
        }
        Duration ago = Duration.between(heard, now);
        String since = io.jenkins.plugins.k8sdeploy.engine.base.Durations.format(ago.isNegative() ? Duration.ZERO : ago);
        if (driven(stable, now)) {
            return "driven by " + who + " (heard from " + since + " ago)";
        }
        return "its driver " + who + " is gone (last heard from " + since + " ago); promote or abort acts on it"
                + " directly";
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
