package io.jenkins.plugins.k8sdeploy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code k8spd}: the command-line front end to the same engine the Jenkins steps call, for use outside Jenkins
 * (GitHub Actions, GitLab CI, a terminal) and for the demo. Exit codes: 0 done, 1 the deploy failed (the message says
 * why), 2 the command line was wrong, 128 + N stopped by signal N (see {@link Cancellation}).
 */
@Command(
        name = "k8spd",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Progressive delivery to Kubernetes, without a controller in the cluster.",
        subcommands = {DeployCommand.class, DiffCommand.class, RollbackCommand.class, StatusCommand.class, CanaryCommand.class,
            BlueGreenCommand.class, ReportCommand.class, DemoCommand.class})
public final class Main {
    public static void main(String[] args) {
        ClientLogging.install();
        Cancellation.install();
        int code = run(args);
        if (Cancellation.finished()) {
            return; // a signal stopped the command: the shutdown hook now lets the JVM exit 128 + its number
        }
        System.exit(code);
    }

    /** Runs the command line and returns its exit code; never exits the JVM (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"k8spd " + (v == null ? "(development build)" : v)};
        }
    }
}
