package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code approval: [message:, submitter:, timeout:, onTimeout:]} to the engine's policy, and its refusals. */
class GateSettingsTest {

    @Test
    void nothingGivenIsTheEnginesDefault() throws DeployException {
        assertEquals(Approval.Policy.DEFAULT, GateSettings.policy(null, " ", null));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", textBlock = """
            30m, -,       PT30M, false
            90s, abort,   PT1M30S, false
            2h,  ABORT,   PT2H, false
            1h,  proceed, PT1H, true
            PT5M, Proceed, PT5M, true
            """)
    void timeoutAndTimeoutActionMapToThePolicy(String timeout, String onTimeout, String expected, boolean proceed)
            throws DeployException {
        Approval.Policy p = GateSettings.policy(" Ship it? ", timeout, onTimeout);

        assertEquals(new Approval.Policy("Ship it?", Duration.parse(expected), proceed), p);
    }

    @ParameterizedTest
    // The messages quote with ', so " quotes (JUnit 6's CSV parser refuses a ' inside an unquoted value).
    @CsvSource(delimiter = '|', nullValues = "-", quoteCharacter = '"', textBlock = """
            soon | -       | 'soon' is not a duration. Expected a number with s, m or h, such as 90s, 10m or 1h.
            0s   | -       | approval timeout must be longer than zero; got '0s'.
            30m  | ignore  | approval onTimeout must be 'abort' or 'proceed'; got 'ignore'.
            -    | proceed | approval onTimeout: 'proceed' needs a timeout, such as timeout: '30m'.
            """)
    void badValuesAreRefusedWithWhatWasExpected(String timeout, String onTimeout, String message) {
        DeployException e = assertThrows(DeployException.class, () -> GateSettings.policy(null, timeout, onTimeout));

        assertEquals(message, e.getMessage());
    }

    @Test
    void submittersAreSplitAtCommasAndTrimmed() {
        assertEquals(List.of("alice", "release-managers"), GateSettings.submitters(" alice ,, release-managers ,"));
        assertEquals(List.of(), GateSettings.submitters(null));
        assertEquals(List.of(), GateSettings.submitters(" "));
    }
}
