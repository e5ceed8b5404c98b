package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.Util;
import hudson.util.FormValidation;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.Durations;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;

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
}
