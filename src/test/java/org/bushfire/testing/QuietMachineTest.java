package org.bushfire.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.commons.support.AnnotationSupport;

/** The test run's class order: what holds the lock and waits for it goes last; nothing else moves. */
class QuietMachineTest {
    static class PlainA {}

    @ResourceLock(QuietMachine.LOCK)
    static class LockedOne {}

    static class PlainB {}

    @ResourceLock("some other resource")
    static class OtherLock {}

    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(QuietMachine.LOCK)
    static class ConcurrentDemo {}

    @ResourceLock(QuietMachine.LOCK)
    static class LockedTwo {}

    static class PlainC {}

    @Test
    void classesThatWaitForTheLockRunLastAndTheRestKeepTheirOrder() {
        List<Class<?>> classes = List.of(PlainA.class, LockedOne.class, PlainB.class, OtherLock.class,
                ConcurrentDemo.class, LockedTwo.class, PlainC.class);
        List<ClassDescriptor> descriptors = new ArrayList<>();
        classes.forEach(c -> descriptors.add(new Descriptor(c)));

        new QuietMachine.LockedLast().orderClasses(new Context(descriptors));

        assertThat(descriptors).extracting(ClassDescriptor::getTestClass).containsExactly(PlainA.class, PlainB.class,
                OtherLock.class, ConcurrentDemo.class, PlainC.class, LockedOne.class, LockedTwo.class);
    }

    /** A class as JUnit describes it to an orderer: its annotations read with JUnit's own support. */
    record Descriptor(Class<?> testClass) implements ClassDescriptor {
        @Override
        public Class<?> getTestClass() {
            return testClass;
        }

        @Override
        public String getDisplayName() {
            return testClass.getSimpleName();
        }

        @Override
        public boolean isAnnotated(Class<? extends Annotation> type) {
            return AnnotationSupport.isAnnotated(testClass, type);
        }

        @Override
        public <A extends Annotation> Optional<A> findAnnotation(Class<A> type) {
            return AnnotationSupport.findAnnotation(testClass, type);
        }

        @Override
        public <A extends Annotation> List<A> findRepeatableAnnotations(Class<A> type) {
            return AnnotationSupport.findRepeatableAnnotations(testClass, type);
        }
    }

    record Context(List<ClassDescriptor> descriptors) implements ClassOrdererContext {
        @Override
        @SuppressWarnings("unchecked")
        public List<? extends ClassDescriptor> getClassDescriptors() {
            return descriptors;
        }

        @Override
        public Optional<String> getConfigurationParameter(String key) {
            return Optional.empty();
        }
    }
}
