package org.bushfire.testing;

/**
 * The one lock of the test run: the classes that hold it need the machine and the shared local services to
 * themselves, and so never run beside each other.
 *
 * <p>The test run is sequential except for the demo ({@code DemoIntegrationTest}), which runs beside the other
 * classes: it spends three and a half minutes waiting on real time (its sensors report at wall-clock speed), on
 * processes of its own. It holds this lock, and so do the classes that must not share the machine with it:
 * those that stop a shared service (the Elasticsearch outage), and those whose assertions are about timing under
 * faults (recovery bounded by the restart delay, event time on a real stream, savepoint upgrades and rescales).
 * Everything else — unit, harness and most integration tests, each with its own stream, topic and indices — may
 * run while the demo runs. See {@code src/test/resources/junit-platform.properties}.
 */
public final class QuietMachine {
    /** The {@code @ResourceLock} name. */
    public static final String LOCK = "bushfire.quiet-machine";

    private QuietMachine() {}
}
