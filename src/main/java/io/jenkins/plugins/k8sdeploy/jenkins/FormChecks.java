package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Durations;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryPlan;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;

/** Form checks shared by the step and the builder. They only look at the text: none connects anywhere. */
final class FormChecks {
    private FormChecks() {}

    static FormValidation manifests(String value) {
        return Requests.split(value).isEmpty()
                ? FormValidation.error(Messages.FormChecks_manifestsRequired())
                : FormValidation.ok();
    }

    static FormValidation timeout(String value) {
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok();
        }
        try {
            Durations.parse(value);
            return FormValidation.ok();
        } catch (DeployException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static FormValidation serverUrl(String value) {
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok();
        }
        try {
            ClusterConnection.checkServerUrl(value);
            return FormValidation.ok();
        } catch (DeployException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** Blank is fine: the default plan. */
    static FormValidation plan(String value) {
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok();
        }
        try {
            CanaryPlan.parse(value);
            return FormValidation.ok();
        } catch (DeployException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /**
     * A step's inline analyses, checked on their own: a metric may still use a provider of the global configuration,
     * which is checked when the canary starts. Blank is fine.
     */
    static FormValidation analysisYaml(String value) {
        String problem = AnalysisSources.problem(value, null, false);
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    /** Blank is fine: promote. */
    static FormValidation weight(String value) {
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok();
        }
        try {
            Requests.weight(value.strip());
            return FormValidation.ok();
        } catch (DeployException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    static FormValidation app(String value) {
        return Util.fixEmptyAndTrim(value) == null ? FormValidation.error(Messages.FormChecks_appRequired())
                : FormValidation.ok();
    }

    /** The strategy drop-down; the empty value is the default, rolling. */
    static ListBoxModel strategies() {
        ListBoxModel m = new ListBoxModel();
        m.add(Messages.FormChecks_strategyRolling(), "");
        m.add(Messages.FormChecks_strategyCanary(), DeployRecord.Strategy.CANARY.label());
        m.add(Messages.FormChecks_strategyBlueGreen(), DeployRecord.Strategy.BLUE_GREEN.label());
        return m;
    }

    /** The canary router drop-down; the empty value splits traffic by replica counts. */
    static ListBoxModel routers() {
        ListBoxModel m = new ListBoxModel();
        m.add(Messages.FormChecks_routerNone(), "");
        m.add("Istio", "istio");
        m.add("NGINX Ingress", "nginx");
        m.add("Gateway API", "gatewayApi");
        m.add("SMI", "smi");
        return m;
    }
}
