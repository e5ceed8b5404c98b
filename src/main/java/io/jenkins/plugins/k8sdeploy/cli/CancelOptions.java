package io.jenkins.plugins.k8sdeploy.cli;

import picocli.CommandLine.Option;

/** {@code --on-cancel}: what a rollout does when the command is cancelled by a signal (a cancelled CI job). */
final class CancelOptions {
    /** The choices, spelled as on the command line. */
    enum OnCancel {
        rollback,
        leave
    }

    @Option(names = "--on-cancel", paramLabel = "rollback|leave", defaultValue = "rollback",
            description = "When SIGTERM, SIGINT or SIGHUP cancels the command: rollback (a deploy is rolled back, a"
                    + " canary aborted, blue-green left on the colour that served before) or leave (as it is);"
                    + " either way the record is written and k8spd exits 128 + the signal's number"
                    + " (default: ${DEFAULT-VALUE}).")
    OnCancel onCancel = OnCancel.rollback;

    boolean rollBack() {
        return onCancel == OnCancel.rollback;
    }

    /** What a signal makes the command do, in words: {@code undo} when rolling back, else leaving it. */
    String whatItDoes(String undo) {
        return rollBack() ? undo : "leaving the rollout as it is (--on-cancel leave)";
    }
}
