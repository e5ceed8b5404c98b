package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeCluster;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ManifestFiles;
import io.jenkins.plugins.k8sdeploy.engine.strategy.GateRollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * A blue-green switch over to the preview colour ({@link BlueGreenEngine#switchOver}) as what comes after an approval
 * gate: {@code GateRollout.between(previewDeploy, new GatedSwitch(request), ...)}. It lives with blue-green, not with
 * {@link GateRollout}, so that the gate (in strategy) does not depend on one strategy's engine.
 */
public record GatedSwitch(BlueGreenSwitchRequest request) implements GateRollout.Next {
    @Override
    public Rollout start(KubeCluster cluster, ManifestFiles files, AnalysisPort analysis, Clock clock,
            Consumer<String> log) throws Exception {
        BlueGreenRollout r = new BlueGreenEngine(clock).switchOver(request, cluster.connection(), log);
        return request.analysis() == null ? r : r.withAnalysis(analysis);
    }

    /** The switch's post-switch analysis, if it runs one, gets its providers again. */
    @Override
    public void reattach(Rollout started, AnalysisPort analysis) {
        if (started instanceof BlueGreenRollout bg && bg.analysisName() != null) {
            bg.withAnalysis(analysis);
        }
    }

    @Override
    public String describe() {
        return "Switch " + request.target().app() + " over to its preview?";
    }
}
