package dev.runner.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The strict-skip extension, run through a real JUnit engine over sample classes (surefire skips nested classes). */
class StrictSkipsTest {
  static class AbortsInATest {
    @Test
    void needsATool() {
      Assumptions.abort("tinyproxy is not installed (apt-get install tinyproxy)");
    }

    @Test
    void passes() {}
  }

  static class AbortsBeforeAll {
    @BeforeAll
    static void needsATool() {
      Assumptions.abort("bubblewrap is not installed (apt-get install bubblewrap)");
    }

    @Test
    void neverRuns() {}
  }

  static class RunsDynamicTests {
    @TestFactory
    Stream<DynamicTest> fromAList() {
      return Stream.of(DynamicTest.dynamicTest("one", () -> {}));
    }
  }

  static class RunsNothing {
    @TestFactory
    Stream<DynamicTest> fromAnEmptyList() {
      return Stream.empty();
    }
  }

  private static Events run(Class<?> sample, boolean strict) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .configurationParameter(StrictSkips.PARAMETER, Boolean.toString(strict))
        .selectors(selectClass(sample))
        .execute()
        .allEvents();
  }

  @Test
  void anAbortedTestFailsOnCiAndIsSkippedElsewhere() {
    Events ci = run(AbortsInATest.class, true);
    assertThat(ci.failed().count()).isEqualTo(1);
    assertThat(ci.aborted().count()).isZero();
    Events local = run(AbortsInATest.class, false);
    assertThat(local.aborted().count()).isEqualTo(1);
    assertThat(local.failed().count()).isZero();
  }

  @Test
  void aClassAbortedBeforeItsTestsFailsOnCi() {
    assertThat(run(AbortsBeforeAll.class, true).failed().count()).isGreaterThanOrEqualTo(1);
    Events local = run(AbortsBeforeAll.class, false);
    assertThat(local.failed().count()).isZero();
    assertThat(local.aborted().count()).isEqualTo(1);
  }

  @Test
  void aClassThatRunsNoTestFailsOnCi() {
    assertThat(run(RunsNothing.class, true).failed().count()).isGreaterThanOrEqualTo(1);
    assertThat(run(RunsNothing.class, false).failed().count()).isZero();
    assertThat(run(RunsDynamicTests.class, true).failed().count()).isZero();
  }
}
