package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamField;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Jenkins step saves the rollout between ticks (Pipeline's program.dat). A saved rollout reads back as it was, and
 * this version saves under the same field names and types. The fixture was first written by the version before the
 * rollout's state moved to {@link BlueGreenState} (commit a9891a3, all of it fields of {@link BlueGreenRollout}): a
 * deploy of green over blue, switched, its analysis 'smoke' inconclusive and waiting for a decision, every field set
 * that can be without a cluster; its record at 03:04:45 is beside it. When event types became an enum
 * ({@code StrategyEvent.Type}), the saved events changed form (a rollout saved with string types cannot resume; the
 * plugin was unreleased): the same state was read once with its string types mapped to the enum and written again,
 * so the fixture now holds the rollout's fields as a9891a3 named them and the events' current form.
 */
class BlueGreenSavedFormTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:45Z"), ZoneOffset.UTC);
    static final String STATUS = "blue-green web: green serves; analysis 'smoke' was inconclusive, waiting for a"
            + " decision; blue keeps its pods";

    /** The class descriptor the saved bytes carry for the rollout. */
    ObjectStreamClass savedDescriptor;

    @Test
    void theSavedFixtureReadsBackAsItWas() throws Exception {
        BlueGreenRollout r = read(fixture());
        assertSaved(r);
    }

    @Test
    void aRolloutSavedNowReadsBackAsItWas() throws Exception {
        BlueGreenRollout r = read(write(read(fixture())));
        assertSaved(r);
    }

    @Test
    void theSavedFormKeepsTheFieldNamesAndTypesOfBefore() throws Exception {
        read(fixture());
        List<String> before = fields(savedDescriptor.getFields());
        read(write(read(fixture())));
        assertEquals(before, fields(savedDescriptor.getFields()));
        assertEquals(33, before.size(), before.toString());
    }

    void assertSaved(BlueGreenRollout r) throws Exception {
        assertEquals(BlueGreenRollout.Phase.ANALYSIS, r.phase());
        assertEquals(STATUS, r.status());
        assertEquals(new Approval("web-green-1767323065000", "Keep green (proceed) or switch back to blue (abort)?",
                Instant.parse("2026-01-02T03:04:25Z"), null), r.pendingApproval().orElseThrow());
        assertEquals(resource("saved-before-decider.record.json"), RecordJson.toJson(r.record(CLOCK)));
        assertEquals("smoke", r.analysisName());
        assertEquals(12L, r.switchLatency().orElseThrow().toMillis());
        assertNotNull(r.withAnalysis(null));
    }

    static List<String> fields(ObjectStreamField[] fields) {
        return Arrays.stream(fields).map(f -> f.getName() + ":" + f.getTypeString() + f.getTypeCode()).toList();
    }

    static byte[] fixture() throws IOException {
        return Base64.getMimeDecoder().decode(resource("saved-before-decider.ser.b64"));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = BlueGreenSavedFormTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    BlueGreenRollout read(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected ObjectStreamClass readClassDescriptor() throws IOException, ClassNotFoundException {
                ObjectStreamClass d = super.readClassDescriptor();
                if (d.getName().equals(BlueGreenRollout.class.getName())) {
                    savedDescriptor = d;
                }
                return d;
            }
        }) {
            return (BlueGreenRollout) in.readObject();
        }
    }

    static byte[] write(BlueGreenRollout r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        return bytes.toByteArray();
    }
}
