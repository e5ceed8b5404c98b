package io.jenkins.plugins.k8sdeploy.engine.report;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.StrategyEvent;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Approval;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Pause;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.Stop;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.TimelineRow;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel.WeightStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a rollout's strategy events (in time order) add up to: the weight steps, the pauses, the approval gates, the
 * aborts and rollbacks, and the timeline with each line marked with the event it logged. For {@link
 * ReportModel.Rollout#from}.
 */
final class EventSteps {
    private EventSteps() {}

    /** The record's timeline, each line marked with the event it logged; events it lacks added in time order. */
    static List<TimelineRow> timeline(List<TimelineEntry> entries, List<StrategyEvent> events) {
        List<TimelineRow> rows = new ArrayList<>();
        List<StrategyEvent> unmatched = new ArrayList<>(events);
        for (TimelineEntry t : entries) {
            StrategyEvent match = unmatched.stream()
                    .filter(e -> e.at().equals(t.at()) && Objects.equals(e.detail(), t.message()))
                    .findFirst().orElse(null);
            if (match != null) {
                unmatched.remove(match);
                rows.add(new TimelineRow(t.at(), name(match.type()), match.weight(), t.message()));
            } else {
                rows.add(new TimelineRow(t.at(), null, null, t.message()));
            }
        }
        for (StrategyEvent e : unmatched) {
            rows.add(new TimelineRow(e.at(), name(e.type()), e.weight(), e.detail()));
        }
        rows.sort(Comparator.comparing(TimelineRow::at)); // stable: the record's order among equal times
        return rows;
    }

    /** Each weight from the event that set it until the next that changed it; the last until {@code end}. */
    static List<WeightStep> weights(List<StrategyEvent> events, Instant end) {
        List<WeightStep> steps = new ArrayList<>();
        Instant from = null;
        Integer weight = null;
        String type = null;
        for (StrategyEvent e : events) {
            if (e.weight() == null || e.weight().equals(weight)) {
                continue;
            }
            if (weight != null) {
                steps.add(new WeightStep(from, e.at(), weight, type));
            }
            from = e.at();
            weight = Math.max(0, Math.min(100, e.weight()));
            type = name(e.type());
        }
        if (weight != null) {
            steps.add(new WeightStep(from, end.isBefore(from) ? from : end, weight, type));
        }
        return steps;
    }

    /** Each PAUSE until the next event of another kind, or {@code end}. */
    static List<Pause> pauses(List<StrategyEvent> events, Instant end) {
        List<Pause> pauses = new ArrayList<>();
        StrategyEvent paused = null;
        for (StrategyEvent e : events) {
            if (StrategyEvent.Type.PAUSE.equals(e.type())) {
                if (paused == null) {
                    paused = e;
                }
            } else if (paused != null) {
                pauses.add(new Pause(paused.at(), e.at(), paused.weight(), paused.detail()));
                paused = null;
            }
        }
        if (paused != null) {
            pauses.add(new Pause(paused.at(), end, paused.weight(), paused.detail()));
        }
        return pauses;
    }

    /** Each APPROVAL_WAIT with what decided it (APPROVED or PROMOTE: approved; ABORT or SUPERSEDED: refused). */
    static List<Approval> approvals(List<StrategyEvent> events) {
        List<Approval> approvals = new ArrayList<>();
        StrategyEvent waiting = null;
        for (StrategyEvent e : events) {
            switch (e.type() == null ? "" : e.type()) {
                case StrategyEvent.Type.APPROVAL_WAIT -> {
                    if (waiting != null) {
                        approvals.add(Approval.of(waiting, null, Approval.PENDING));
                    }
                    waiting = e;
                }
                case StrategyEvent.Type.APPROVED -> {
                    approvals.add(Approval.of(waiting, e, Approval.APPROVED));
                    waiting = null;
                }
                case StrategyEvent.Type.PROMOTE, StrategyEvent.Type.ABORT, StrategyEvent.Type.SUPERSEDED -> {
                    if (waiting != null) {
                        approvals.add(Approval.of(waiting, e, StrategyEvent.Type.PROMOTE.equals(e.type())
                                ? Approval.APPROVED : Approval.REFUSED));
                        waiting = null;
                    }
                }
                default -> { }
            }
        }
        if (waiting != null) {
            approvals.add(Approval.of(waiting, null, Approval.PENDING));
        }
        return approvals;
    }

    /** Aborts, switches back and supersessions with their reasons; then the record's rollbacks no event told. */
    static List<Stop> stops(List<StrategyEvent> events, List<String> rollbacks) {
        List<Stop> stops = new ArrayList<>();
        for (StrategyEvent e : events) {
            String kind = e.type() == null ? null : switch (e.type()) {
                case StrategyEvent.Type.ABORT -> Stop.ABORT;
                case StrategyEvent.Type.SWITCH_BACK -> Stop.SWITCH_BACK;
                case StrategyEvent.Type.SUPERSEDED -> Stop.SUPERSEDED;
                default -> null;
            };
            if (kind != null) {
                stops.add(new Stop(e.at(), kind, e.reason() != null ? e.reason() : reason(e.detail()),
                        e.detail()));
            }
        }
        for (String line : rollbacks == null ? List.<String>of() : rollbacks) {
            boolean told = stops.stream().anyMatch(s -> s.detail() != null && line != null
                    && s.detail().contains(line));
            if (line != null && !told) {
                stops.add(new Stop(null, Stop.ROLLBACK, line, line));
            }
        }
        return stops;
    }

    /**
     * For a record written before events kept their reason apart: the part after "Reason: " when the engine
     * wrote one, else all of it.
     */
    private static String reason(String detail) {
        if (detail == null) {
            return null;
        }
        int i = detail.indexOf("Reason: ");
        return i < 0 ? detail : detail.substring(i + "Reason: ".length());
    }

    /** An event's type as the report shows it (its name); {@code null} for an event without one. */
    private static String name(StrategyEvent.Type type) {
        return type == null ? null : type.name();
    }
}
