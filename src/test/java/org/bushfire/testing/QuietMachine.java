package org.bushfire.testing;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

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
 * run while the demo runs, and {@link LockedLast} runs all of it first. See
 * {@code src/test/resources/junit-platform.properties}.
 */
public final class QuietMachine {
    /** The {@code @ResourceLock} name. */
    public static final String LOCK = "bushfire.quiet-machine";

    private QuietMachine() {}

    /**
     * The test run's class order: the classes that run one after another and hold the lock come after all the
     * others, which keep the order the build gave them. The demo is started first whatever the order (JUnit forks
     * concurrent classes before it runs the others), so everything that may share the machine with it runs while
     * it waits on the clock, and the classes that may not wait only once.
     */
    public static final class LockedLast implements ClassOrderer {
        @Override
        public void orderClasses(ClassOrdererContext context) {
            context.getClassDescriptors().sort(Comparator.comparingInt(c -> waitsForTheLock(c) ? 1 : 0));
        }

        private static boolean waitsForTheLock(ClassDescriptor c) {
            boolean concurrent = c.findAnnotation(Execution.class)
                    .map(e -> e.value() == ExecutionMode.CONCURRENT).orElse(false);
            return !concurrent && c.findRepeatableAnnotations(ResourceLock.class).stream()
                    .anyMatch(lock -> lock.value().equals(LOCK));
        }
    }
}
