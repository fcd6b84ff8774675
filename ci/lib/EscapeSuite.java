import java.io.PrintWriter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the test classes named as arguments with the JUnit launcher (ci/escape-suite.sh has no Maven for the user it
 * runs them as), prints one line per test and exits 1 unless tests ran and every one passed: a skipped or aborted
 * case counts as a failure, since an attack that did not run proves nothing.
 */
public final class EscapeSuite {
  public static void main(String[] args) {
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (String name : args) {
      request.selectors(DiscoverySelectors.selectClass(name));
    }
    LauncherDiscoveryRequest built = request.build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    TestExecutionListener lines = new TestExecutionListener() {
      @Override
      public void executionSkipped(TestIdentifier test, String reason) {
        System.out.println("SKIPPED " + test.getDisplayName() + ": " + reason);
      }

      @Override
      public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (!test.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
          return;
        }
        String name = test.getLegacyReportingName().replaceAll("\\[\\d+\\]$", "") + " " + test.getDisplayName();
        String why = result.getThrowable().map(t -> ": " + t.getMessage().strip().replace('\n', ' ')).orElse("");
        System.out.println(result.getStatus() + " " + name + (why.length() > 400 ? why.substring(0, 400) + "…" : why));
      }
    };
    launcher.execute(built, summary, lines);
    TestExecutionSummary s = summary.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    s.printTo(out);
    boolean ok = s.getTestsFoundCount() > 0 && s.getTotalFailureCount() == 0 && s.getTestsAbortedCount() == 0
        && s.getTestsSkippedCount() == 0 && s.getContainersFailedCount() == 0
        && s.getTestsSucceededCount() == s.getTestsFoundCount();
    System.exit(ok ? 0 : 1);
  }
}
