package io.jenkins.plugins.k8sdeploy.engine.canary;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The steps of a canary, written as text so that a Jenkinsfile, a command line and an annotation on the Deployment
 * all carry the same thing. Steps are separated by commas, semicolons or new lines:
 *
 * <pre>
 * 20%, pause 2m, 50%, approval, analysis error-rate, 100%
 * </pre>
 *
 * <ul>
 *   <li>{@code 20%} or {@code weight 20}: send that share of traffic to the canary;</li>
 *   <li>{@code pause 2m}: wait that long (s, m or h);</li>
 *   <li>{@code approval} or {@code pause} alone: wait until someone promotes (from Jenkins or the command line);</li>
 *   <li>{@code analysis NAME}: run the named analysis; it passes, or the canary is aborted (or paused when it is
 *       inconclusive);</li>
 *   <li>{@code 100%} or {@code promote}: full promotion. The plan ends there; a plan that ends before it leaves the
 *       canary at its last weight for a later {@code canaryPromote}.</li>
 * </ul>
 */
public record CanaryPlan(List<Step> steps) implements Serializable {
    /** What a canary does when no plan is given. */
    public static final String DEFAULT = "20%, pause 1m, 50%, pause 1m, 100%";

    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})\\s*%");
    private static final Pattern WEIGHT = Pattern.compile("weight\\s+(\\d{1,3})\\s*%?");
    private static final Pattern PAUSE = Pattern.compile("pause\\s+(\\S+)");
    private static final Pattern ANALYSIS = Pattern.compile("analysis\\s+([A-Za-z0-9][A-Za-z0-9._-]*)");

    public CanaryPlan {
        steps = List.copyOf(steps);
    }

    /** One step of a plan. */
    public sealed interface Step extends Serializable {}

    /** Send {@code weight} percent to the canary; 100 is {@link Promote}. */
    public record SetWeight(int weight) implements Step {
        @Override
        public String toString() {
            return weight + "%";
        }
    }

    public record Pause(Duration duration) implements Step {
        @Override
        public String toString() {
            long s = duration.toSeconds();
            return "pause " + (s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s");
        }
    }

    public record Approval() implements Step {
        @Override
        public String toString() {
            return "approval";
        }
    }

    public record Analysis(String name) implements Step {
        @Override
        public String toString() {
            return "analysis " + name;
        }
    }

    public record Promote() implements Step {
        @Override
        public String toString() {
            return "100%";
        }
    }

    /**
     * Reads a plan.
     *
     * @throws DeployException naming the step that is not understood and what steps look like
     */
    public static CanaryPlan parse(String text) throws DeployException {
        String t = text == null || text.isBlank() ? DEFAULT : text;
        List<Step> steps = new ArrayList<>();
        for (String raw : t.split("[,;\\n]")) {
            String s = raw.strip().toLowerCase(Locale.ROOT);
            if (s.isEmpty()) {
                continue;
            }
            if (!steps.isEmpty() && steps.get(steps.size() - 1) instanceof Promote) {
                throw new DeployException("Canary plan '" + t.strip() + "': '" + raw.strip() + "' comes after full"
                        + " promotion (100%), which ends the plan.");
            }
            steps.add(step(s, raw.strip(), t.strip()));
        }
        if (steps.isEmpty()) {
            throw new DeployException("The canary plan is empty. Expected steps such as: " + DEFAULT + ".");
        }
        return new CanaryPlan(steps);
    }

    private static Step step(String s, String raw, String plan) throws DeployException {
        Matcher m;
        if ((m = PERCENT.matcher(s)).matches() || (m = WEIGHT.matcher(s)).matches()) {
            int w = Integer.parseInt(m.group(1));
            if (w < 0 || w > 100) {
                throw new DeployException("Canary plan '" + plan + "': weight " + w + " is not between 0 and 100.");
            }
            return w == 100 ? new Promote() : new SetWeight(w);
        }
        if (s.equals("promote")) {
            return new Promote();
        }
        if (s.equals("approval") || s.equals("pause")) {
            return new Approval();
        }
        if ((m = PAUSE.matcher(s)).matches()) {
            Duration d = Durations.parse(m.group(1));
            if (d.isNegative() || d.isZero()) {
                throw new DeployException("Canary plan '" + plan + "': a pause must be longer than zero.");
            }
            return new Pause(d);
        }
        if ((m = ANALYSIS.matcher(raw.strip())).matches()) {
            return new Analysis(m.group(1));
        }
        throw new DeployException("Canary plan '" + plan + "': '" + raw + "' is not a step. Steps are: a weight"
                + " (20% or weight 20), pause 2m, approval, analysis NAME, or 100% (full promotion); separate them"
                + " with commas.");
    }

    /** True when the plan ends in full promotion. */
    public boolean promotes() {
        return !steps.isEmpty() && steps.get(steps.size() - 1) instanceof Promote;
    }

    /**
     * The plan with an approval before full promotion, when it promotes and has no approval step of its own: what a
     * gate given to the step (rather than written in the plan) means. Otherwise the plan as it is.
     *
     * <pre>
     * 20%, pause 5m, 100%   ->   20%, pause 5m, approval, 100%
     * </pre>
     */
    public CanaryPlan withApprovalBeforePromotion() {
        if (!promotes() || steps.stream().anyMatch(Approval.class::isInstance)) {
            return this;
        }
        List<Step> s = new ArrayList<>(steps);
        s.add(s.size() - 1, new Approval());
        return new CanaryPlan(s);
    }

    /** The names of the analyses the plan runs. */
    public List<String> analyses() {
        return steps.stream().filter(Analysis.class::isInstance).map(s -> ((Analysis) s).name()).toList();
    }

    @Override
    public String toString() {
        return steps.stream().map(Step::toString).collect(Collectors.joining(", "));
    }
}
