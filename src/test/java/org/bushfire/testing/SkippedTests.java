package org.bushfire.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Remembers every test or class skipped in this run and why, and writes the list to
 * {@code target/skipped-tests.txt} ({@code -it.txt} for failsafe's run) when the run ends; the build prints that file as its last words (the pom's
 * {@code skipped-tests} execution), so a green run on a machine without shellcheck or Chromium says plainly what
 * it did not prove. Registered through {@code META-INF/services}, so it sees every test without being named.
 */
public final class SkippedTests implements TestExecutionListener {
    /** Where the list goes: surefire's default, or the run's own (failsafe's) from {@code bushfire.skipped.report}. */
    static final Path REPORT = Path.of(System.getProperty("bushfire.skipped.report", "target/skipped-tests.txt"));

    /** Reason → the tests or classes skipped for it. */
    private final Map<String, TreeSet<String>> skipped = new TreeMap<>();
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        try {
            Files.deleteIfExists(REPORT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            record(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private synchronized void record(TestIdentifier test, String reason) {
        skipped.computeIfAbsent(reason, r -> new TreeSet<>()).add(nameOf(test));
    }

    private String nameOf(TestIdentifier test) {
        String name = test.getDisplayName();
        if (test.isContainer() || plan == null) {
            return name;
        }
        return plan.getParent(test).map(TestIdentifier::getDisplayName).map(parent -> parent + "#" + name).orElse(name);
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (skipped.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("Skipped in this run (the build is green without them; CI=true runs them all):");
        skipped.forEach((reason, tests) -> lines.add("  " + reason + "\n      " + String.join(", ", tests)));
        try {
            Files.createDirectories(REPORT.getParent());
            Files.write(REPORT, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
