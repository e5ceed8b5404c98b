package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord.TimelineEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a build keeps its rollout records: numbered JSON files beside build.xml, read back in order, without secrets. */
class RecordFilesTest {
    @TempDir
    Path build;

    @Test
    void recordsAreNumberedInTheOrderTheyEndedAndReadBackTheSame() throws Exception {
        List<DeployRecord> written = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            DeployRecord r = i % 2 == 0 ? RecordFixtures.promoted() : RecordFixtures.analysisFailed();
            written.add(r);
            assertEquals(i + 1, RecordFiles.append(build, r).getNumber());
        }

        List<RolloutView> read = RecordFiles.read(build);

        assertEquals(11, read.size());
        for (int i = 0; i < 11; i++) {
            assertEquals(i + 1, read.get(i).getNumber(), "10 and 11 come after 9");
            assertEquals(written.get(i), read.get(i).record());
        }
        try (Stream<Path> files = Files.list(build.resolve("k8s-rollouts"))) {
            assertEquals(11, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aDamagedFileIsLeftOutAndTheOthersKeepTheirNumbers() throws Exception {
        RecordFiles.append(build, RecordFixtures.promoted());
        RecordFiles.append(build, RecordFixtures.aborted());
        RecordFiles.append(build, RecordFixtures.analysisPassed());
        Files.writeString(build.resolve("k8s-rollouts/2.json"), "{\"outcome\": ", StandardCharsets.UTF_8);
        Files.writeString(build.resolve("k8s-rollouts/notes.txt"), "not a record", StandardCharsets.UTF_8);

        List<RolloutView> read = RecordFiles.read(build);

        assertEquals(List.of(1, 3), read.stream().map(RolloutView::getNumber).toList());
        assertEquals(4, RecordFiles.append(build, RecordFixtures.aborted()).getNumber(), "numbers are never reused");
    }

    @Test
    void aBuildWithoutRecordsHasNone() {
        assertEquals(List.of(), RecordFiles.read(build));
    }

    @Test
    void userInfoInTheServerUrlIsCutFromEveryFieldBeforeWriting() throws Exception {
        DeployRecord r = RecordFixtures.promoted();
        String server = "https://deployer:s3cr3t-t0ken@k8s.example:6443";
        List<TimelineEntry> timeline = new ArrayList<>(r.timeline());
        timeline.add(new TimelineEntry(r.finished(), "Connected to " + server + " (Kubernetes v1.33.13)."));
        DeployRecord withSecret = new DeployRecord(server, r.outcome(), r.started(), r.finished(), r.durationMillis(),
                r.apiRequests(), r.objects(), r.workloads(), r.rollbacks(), timeline, r.failure(), r.strategy(),
                r.app(), r.events(), r.analyses());

        RolloutView stored = RecordFiles.append(build, withSecret);

        String file = Files.readString(build.resolve("k8s-rollouts/1.json"), StandardCharsets.UTF_8);
        assertFalse(file.contains("s3cr3t-t0ken"), file);
        assertTrue(file.contains("\"server\" : \"https://k8s.example:6443\""), file);
        assertTrue(file.contains("Connected to https://k8s.example:6443 (Kubernetes v1.33.13)."), file);
        assertEquals("https://k8s.example:6443", stored.getServer(), "what the page shows is what was stored");
        assertEquals("deployer:s3cr3t-t0ken", RecordFiles.userInfo(server));
        assertNull(RecordFiles.userInfo("https://k8s.example:6443"));
        assertNull(RecordFiles.userInfo("not a url"));
    }
}
