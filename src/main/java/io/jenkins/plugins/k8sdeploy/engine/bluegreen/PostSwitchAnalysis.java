package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisFailed;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisInconclusive;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisPassed;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisRunning;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.CarryOutAnswer;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StartAnalysis;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.SwitchedBackMeanwhile;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForApproval;
import io.jenkins.plugins.k8sdeploy.engine.strategy.AnalysisStep;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import io.jenkins.plugins.k8sdeploy.engine.strategy.ApprovalGate;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Blue-green's post-switch analysis and the approval an inconclusive one waits for, as the state of one rollout:
 * which analysis, its run, the finished runs' records, and a person's answer until the next tick carries it out. The
 * rules are the ones every strategy shares: {@link AnalysisStep} starts, polls, resumes and keeps the analysis,
 * {@link ApprovalGate} says how the wait goes (no timeout here: a person decides, or switches back by hand).
 *
 * <p>{@link #decide} is pure: what the analysis phase does next, from the active colour and the verdict observed.
 */
final class PostSwitchAnalysis {
    /** Blue-green's approval: the analysis's own question, no timeout. */
    static final Approval.Policy POLICY = Approval.Policy.DEFAULT;
    /** How often a wait for a person looks again (for an answer or a switch back from outside). */
    static final Duration APPROVAL_POLL = Duration.ofSeconds(2);

    /** The analysis to run after the switch; {@code null} for none. */
    String name;
    /** The analyses it may name; not kept: set again after the state was read back ({@link #attach}). */
    private AnalysisPort port;
    AnalysisPort.Run run;
    final List<AnalysisRecord> finished = new ArrayList<>();
    /** An inconclusive analysis waits for a person since then; {@code null} when nothing waits. */
    Instant approvalSince;
    String approvalMessage;
    /** A person's answer, carried out at the next tick: true proceeds, false switches back. */
    Boolean answer;
    String answerReason;

    /** Gives the analyses to look the name up in, and a run read back from disk its providers again. */
    void attach(AnalysisPort analyses) {
        this.port = analyses;
        run = AnalysisStep.resume(analyses, run);
    }

    /** Starts the run of {@link #name} for the new colour against the old. */
    void start(CanaryServices services, Instant now) throws DeployException {
        run = AnalysisStep.start(port, name, services, now);
    }

    /** What the analysis phase does next. {@code active}: the colour the active Service selects now. */
    static BlueGreenDecision decide(PostSwitchAnalysis a, String to, String active, AnalysisStep.Polled v,
            Instant now) {
        if (a.answer != null) {
            return new CarryOutAnswer(a.answer, a.answerReason);
        }
        if (!to.equals(active)) {
            return new SwitchedBackMeanwhile(active);
        }
        if (a.approvalSince != null) {
            // POLICY has no timeout: the gate always says when to look again
            return new WaitForApproval(ApprovalGate.check(POLICY, a.approvalSince, now, APPROVAL_POLL)
                    instanceof ApprovalGate.Waiting w ? w.next() : APPROVAL_POLL);
        }
        if (a.run == null) {
            return new StartAnalysis();
        }
        return judge(v);
    }

    /** A verdict, in what it makes the rollout do. */
    static BlueGreenDecision judge(AnalysisStep.Polled v) {
        return switch (v.verdict().status()) {
            case RUNNING -> new AnalysisRunning(v.next());
            case SUCCESSFUL -> new AnalysisPassed(v.verdict().message());
            case INCONCLUSIVE -> new AnalysisInconclusive(v.verdict().message());
            case FAILED, ERROR -> new AnalysisFailed(v.verdict().status(), v.verdict().message());
        };
    }

    /** What the log and the record say of a verdict that ended the analysis ({@link AnalysisStep#outcome}). */
    String outcome(AnalysisPort.Status status, String message) {
        return AnalysisStep.outcome(name, new AnalysisPort.Verdict(status, message));
    }

    /** Moves the running analysis's record (if any) to the finished ones. */
    void keep() {
        run = AnalysisStep.keep(run, finished);
    }

    /** The finished runs' records and the running one's. */
    List<AnalysisRecord> all() {
        return AnalysisStep.all(finished, run);
    }

    /** An inconclusive verdict: a person decides from now. */
    void askApproval(Instant now, String message) {
        approvalSince = now;
        approvalMessage = message;
    }

    /** The decision a person must take, while one waits and no answer was given yet. */
    Optional<Approval> pending(boolean analysing, String app, String to) {
        if (!analysing || approvalSince == null || answer != null) {
            return Optional.empty();
        }
        return Optional.of(new Approval(approvalId(app, to), approvalMessage, approvalSince,
                ApprovalGate.deadline(POLICY, approvalSince)));
    }

    String approvalId(String app, String to) {
        return app + "-" + to + "-" + approvalSince.toEpochMilli();
    }

    /** Keeps a person's answer for the next tick. */
    void answer(boolean proceed, String reason) {
        answer = proceed;
        answerReason = reason;
    }

    /** The answer is being carried out: nothing waits any more. */
    void clearApproval() {
        answer = null;
        answerReason = null;
        approvalSince = null;
        approvalMessage = null;
    }
}
