package io.jenkins.plugins.k8sdeploy.engine.canary;

/**
 * How many pods each version gets when there is no traffic router, so that the share of pods is the share of
 * traffic (the Service selects both versions' pods).
 *
 * <p>The canary gets {@code round(total x weight / 100)} pods, rounding halves up, and stable the rest:
 *
 * <pre>
 * total  weight  canary  stable
 *   10     41%      4       6     (4.1 rounds to 4)
 *   10     45%      5       5     (4.5 rounds up)
 *    4     20%      1       3     (0.8 rounds to 1)
 *    4     10%      0       4     (0.4 rounds to 0: this step sends the canary nothing; the log says so)
 *    3     50%      2       1     (1.5 rounds up)
 * </pre>
 *
 * <p>Moving between two splits honours the stable Deployment's {@code maxSurge} and {@code maxUnavailable} the way its
 * own rolling update would: never more than {@code total + maxSurge} pods, never fewer than
 * {@code total - maxUnavailable} available. {@link #next} gives the next pair of replica counts to set; callers set it,
 * wait until the pods are ready, and ask again until it returns the target.
 */
public final class ReplicaMath {
    private ReplicaMath() {}

    /** A pair of replica counts. */
    public record Split(int stable, int canary) {
        public int total() {
            return stable + canary;
        }
    }

    /** The split for {@code weight} percent of {@code total} pods. */
    public static Split split(int total, int weight) {
        int canary = (int) Math.floor(total * weight / 100.0 + 0.5);
        canary = Math.max(0, Math.min(total, canary));
        return new Split(total - canary, canary);
    }

    /** Router mode: the stable stays at full size; the canary gets enough pods to carry its weight, at least one. */
    public static int canaryPodsWithRouter(int total, int weight) {
        if (weight <= 0) {
            return 0;
        }
        return Math.max(1, (int) Math.ceil(total * weight / 100.0));
    }

    /**
     * A rolling-update limit resolved against {@code total}, as Kubernetes does: percentages round up for maxSurge
     * and down for maxUnavailable.
     *
     * @param value "25%", "2", or {@code null} for the default of 25%
     */
    public static int resolve(String value, int total, boolean roundUp) {
        String v = value == null ? "25%" : value.strip();
        if (v.endsWith("%")) {
            double exact = total * Integer.parseInt(v.substring(0, v.length() - 1).strip()) / 100.0;
            return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
        }
        return Integer.parseInt(v);
    }

    /**
     * The next replica counts on the way from {@code current} to {@code target}.
     *
     * @param ready how many pods of each version are ready now
     * @param maxSurge resolved; pods above {@code total} allowed
     * @param maxUnavailable resolved; pods below {@code total} allowed to be unready
     */
    public static Split next(int total, int maxSurge, int maxUnavailable, Split current, Split ready, Split target) {
        if (maxSurge == 0 && maxUnavailable == 0) {
            maxSurge = 1; // Kubernetes refuses both zero; keep moving as it would.
        }
        boolean canaryGrows = target.canary() > current.canary();
        int grow = canaryGrows ? current.canary() : current.stable();
        int growTarget = canaryGrows ? target.canary() : target.stable();
        int shrink = canaryGrows ? current.stable() : current.canary();
        int shrinkTarget = canaryGrows ? target.stable() : target.canary();
        int readyGrowing = canaryGrows ? ready.canary() : ready.stable();

        int room = Math.max(0, total + maxSurge - (grow + shrink));
        int grown = Math.min(Math.max(growTarget, grow), grow + room);
        if (growTarget < grow) {
            grown = growTarget;
        }
        // Shrink only as far as the pods that are ready on the growing side allow.
        int floor = total - maxUnavailable - Math.min(readyGrowing, grow);
        int shrunk = Math.min(shrink, Math.max(shrinkTarget, floor));
        if (shrinkTarget > shrink) {
            shrunk = shrinkTarget;
        }
        return canaryGrows ? new Split(shrunk, grown) : new Split(grown, shrunk);
    }
}
