package dev.runner.testing;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * On CI, a test that is skipped is a test that did not run: this extension (registered for every test class through
 * JUnit's extension auto-detection) turns an aborted test or lifecycle method (an assumption that failed, such as
 * "bubblewrap is not installed") into a failure, and fails a class whose tests ran none, so a build that checks less
 * than it says cannot pass. Elsewhere the abort stays a skip, and its message says what to install.
 *
 * <p>Strict when the configuration parameter {@value #PARAMETER} is {@code true}, or, without it, when the environment
 * variable {@code CI} is {@code true} (as GitHub Actions, GitLab and this project's {@code .ci/run} set it).
 */
public final class StrictSkips
    implements
      TestExecutionExceptionHandler,
      LifecycleMethodExecutionExceptionHandler,
      BeforeTestExecutionCallback,
      InvocationInterceptor,
      AfterAllCallback {
  /** Overrides the {@code CI} environment variable, for the extension's own tests. */
  public static final String PARAMETER = "runner.strictSkips";

  private static final Namespace NAMESPACE = Namespace.create(StrictSkips.class);

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    throw strict(context) ? asFailure(throwable) : throwable;
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw strict(context) ? asFailure(throwable) : throwable;
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw strict(context) ? asFailure(throwable) : throwable;
  }

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    // A test factory is a container: what counts is the dynamic tests it returns (counted below), which may be none.
    if (context.getTestMethod().filter(m -> m.isAnnotationPresent(TestFactory.class)).isEmpty()) {
      executed(context).incrementAndGet();
    }
  }

  @Override
  public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
      ExtensionContext context) throws Throwable {
    executed(context).incrementAndGet();
    invocation.proceed();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (strict(context) && executed(context).get() == 0) {
      throw new AssertionFailedError(context.getRequiredTestClass().getName()
          + " ran no test (CI=true: a class that runs nothing would pass without checking anything)");
    }
  }

  private static AtomicInteger executed(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .computeIfAbsent(testClass(context), c -> new AtomicInteger(), AtomicInteger.class);
  }

  /** The class a context belongs to; a dynamic test's own context has none, its factory's has. */
  private static Class<?> testClass(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestClass().isEmpty() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c.getRequiredTestClass();
  }

  private static boolean strict(ExtensionContext context) {
    Optional<String> parameter = context.getConfigurationParameter(PARAMETER);
    return Boolean.parseBoolean(parameter.orElseGet(() -> System.getenv("CI")));
  }

  private static Throwable asFailure(Throwable throwable) {
    if (!(throwable instanceof TestAbortedException)) {
      return throwable;
    }
    return new AssertionFailedError("skipped on CI, which must run every test: " + throwable.getMessage(), throwable);
  }
}
