package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may decide an approval gate: the table pipeline-input-step's rules give, with the realm's id comparisons. */
class ApproversTest {
    static final BiPredicate<String, String> CASE_INSENSITIVE = String::equalsIgnoreCase;
    static final BiPredicate<String, String> CASE_SENSITIVE = String::equals;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # case                                    | user  | groups                   | submitters            | insensitive | canBuild | admin | allowed
            a named user                              | alice | authenticated            | alice, bob            | true        | false    | false | true
            a named user in another case, insensitive | Alice | authenticated            | alice                 | true        | false    | false | true
            a named user in another case, sensitive   | Alice | authenticated            | alice                 | false       | true     | false | false
            a member of a named group                 | carol | authenticated, release   | release-managers, release | true    | false    | false | true
            a group in another case, insensitive      | carol | RELEASE-MANAGERS         | release-managers      | true        | false    | false | true
            not named, even though may build          | dave  | authenticated, devs      | alice, release        | true        | true     | false | false
            no submitters and may build               | dave  | authenticated            | -                     | true        | true     | false | true
            no submitters and may not build           | dave  | authenticated            | -                     | true        | false    | false | false
            an administrator, not named               | root  | authenticated, admins    | alice                 | true        | false    | true  | true
            an administrator, no submitters, no build | root  | authenticated            | -                     | true        | false    | true  | true
            anonymous, named as a user                | -     | anonymous                | anonymous             | true        | true     | false | false
            anonymous, no submitters, may build       | -     | anonymous                | -                     | true        | true     | false | true
            anonymous, no submitters, may not build   | -     | anonymous                | -                     | true        | false    | false | false
            """)
    void decidesByNameGroupPermissionAndAdministration(String name, String user, String groups, String submitters,
            boolean insensitive, boolean canBuild, boolean admin, boolean allowed) {
        BiPredicate<String, String> same = insensitive ? CASE_INSENSITIVE : CASE_SENSITIVE;

        Approvers.Verdict v = Approvers.check(user, GateSettings.submitters(groups),
                GateSettings.submitters(submitters), same, same, canBuild, admin);

        assertEquals(allowed, v.allowed(), name + ": " + v.message());
    }

    @Test
    void aRefusalSaysWhoMayDecide() {
        Approvers.Verdict v = Approvers.check("dave", List.of("devs"), List.of("alice", "release-managers"),
                CASE_INSENSITIVE, CASE_INSENSITIVE, true, false);

        assertEquals("dave may not decide this approval: only alice, release-managers (or an administrator) may.",
                v.message());
    }

    @Test
    void aRefusalWithoutSubmittersNamesThePermission() {
        Approvers.Verdict v = Approvers.check(null, List.of(), List.of(), CASE_INSENSITIVE, CASE_INSENSITIVE, false,
                false);

        assertEquals("anonymous may not decide this approval: it is open to whoever may build the job, and anonymous"
                + " lacks the Job/Build permission.", v.message());
    }

    @Test
    void userAndGroupComparisonsAreTheRealmsOwn() {
        // the user strategy is case-sensitive, the group one is not: "Alice" is not alice, but "Ops" is ops
        Approvers.Verdict user = Approvers.check("Alice", List.of(), List.of("alice"), CASE_SENSITIVE,
                CASE_INSENSITIVE, false, false);
        Approvers.Verdict group = Approvers.check("bob", List.of("Ops"), List.of("ops"), CASE_SENSITIVE,
                CASE_INSENSITIVE, false, false);

        assertEquals(false, user.allowed());
        assertEquals(true, group.allowed());
    }
}
