package dev.lb.it;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * SSH target containers for each test of a class, started before it in a work directory of its own (named after the
 * test, under integration-tests/target/e2e, kept for reading after a failure) and stopped after it:
 * {@code @RegisterExtension final SshTargetsPerTest targets = new SshTargetsPerTest("web-1", "web-2");}
 */
final class SshTargetsPerTest implements BeforeEachCallback, AfterEachCallback {
    private final String[] names;
    private Path work;
    private SshTargets targets;

    SshTargetsPerTest(String... names) {
        this.names = names;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        work = RunFiles.workDir(context.getRequiredTestMethod().getName());
        targets = SshTargets.start(work, names);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (targets != null) {
            targets.close();
        }
    }

    /** The test's work directory (its config, runs and SSH key go there). */
    Path work() {
        return work;
    }

    /** The config's targets section for these hosts. */
    String targetsYaml() {
        return targets.targetsYaml();
    }

    SshTargets.Target get(String name) {
        return targets.get(name);
    }

    List<SshTargets.Target> all() {
        return targets.targets;
    }
}
