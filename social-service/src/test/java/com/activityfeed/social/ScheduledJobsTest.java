package com.activityfeed.social;

import com.activityfeed.testsupport.classes.CompiledClasses;
import io.quarkus.scheduler.Scheduled;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scheduled job, present and future, skips its runs once shutdown has begun: the scheduler
 * keeps firing while the Kafka consumers leave their groups, after the database layer has closed
 * (GracefulShutdownIT shows what a job without the guard logs).
 */
class ScheduledJobsTest {

    @Test
    void everyJobSkipsItsRunsOnceTheApplicationStops() {
        List<Method> jobs = CompiledClasses.methodsAnnotated(Scheduled.class);
        assertThat(jobs).hasSizeGreaterThanOrEqualTo(1);
        assertThat(jobs).allSatisfy(job -> assertThat(Arrays.stream(job.getAnnotationsByType(Scheduled.class))
                .map(Scheduled::skipExecutionIf)).as(job.toString()).containsOnly(Scheduled.ApplicationNotRunning.class));
    }
}
