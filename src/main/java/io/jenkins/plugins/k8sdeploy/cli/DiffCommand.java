package io.jenkins.plugins.k8sdeploy.cli;

import picocli.CommandLine.Command;

/** {@code k8spd diff}: a deploy that applies nothing and prints what would change, Secret values hidden. */
@Command(name = "diff", description = "Validate the manifests and print what applying them would change.")
final class DiffCommand extends DeployCommand {
    @Override
    boolean dryRun() {
        return true;
    }
}
