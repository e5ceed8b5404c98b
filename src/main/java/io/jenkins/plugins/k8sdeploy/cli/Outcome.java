package io.jenkins.plugins.k8sdeploy.cli;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** How every command ends: the record written where --record asked, then exit 0, or 1 with the reason on stderr. */
final class Outcome {
    private Outcome() {}

    /**
     * @param recordFile {@code --record}, or {@code null}
     * @param ok whether the outcome is what the command was asked for
     */
    static int of(DeployRecord result, Path recordFile, boolean ok) throws IOException {
        if (recordFile != null) {
            Files.writeString(recordFile, RecordJson.toJson(result), StandardCharsets.UTF_8);
        }
        if (!ok) {
            System.err.println("k8spd: " + (result.failure() == null ? result.outcome() : result.failure()));
            return 1;
        }
        return 0;
    }
}
