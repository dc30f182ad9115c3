package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BuildInfoTest {
    @Test
    void theBuildSaysItsProjectVersionAndACommitOrThatItIsUnknown() {
        String d = BuildInfo.describe();
        assertTrue(d.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\((commit [0-9a-f]{7,40}(-dirty)?|unknown commit)\\)"), d);
    }
}
