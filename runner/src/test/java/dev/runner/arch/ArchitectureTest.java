package dev.runner.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of DESIGN.md, checked on the compiled main classes. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.runner");
  }

  @Test
  void nothingDependsOnTheCli() {
    noClasses().that().resideOutsideOfPackage("dev.runner.cli..").and().doNotHaveFullyQualifiedName("dev.runner.Main")
        .should().dependOnClassesThat().resideInAPackage("dev.runner.cli..").check(classes);
  }

  @Test
  void emulatorSharesOnlyTheProtocolWithTheClientSide() {
    noClasses().that().resideInAPackage("dev.runner.emulator..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.runner.config..", "dev.runner.transport..", "dev.runner.loop..", "dev.runner.tools..",
            "dev.runner.schema..", "dev.runner.report..", "dev.runner.metrics..")
        .check(classes);
    noClasses().that().resideOutsideOfPackages("dev.runner.emulator..", "dev.runner.cli..").and()
        .doNotHaveFullyQualifiedName("dev.runner.Main").should().dependOnClassesThat()
        .resideInAPackage("dev.runner.emulator..").check(classes);
  }

  @Test
  void onlyTheMcpPackageTouchesTheMcpSdk() {
    // the SDK loads only when a server is configured: no other class may reach it (see cli.McpWiring)
    noClasses().that().resideOutsideOfPackage("dev.runner.mcp..").should().dependOnClassesThat()
        .resideInAPackage("io.modelcontextprotocol..").check(classes);
    noClasses().that().resideOutsideOfPackages("dev.runner.mcp..", "dev.runner.batch..").and()
        .doNotHaveFullyQualifiedName("dev.runner.cli.McpWiring").should().dependOnClassesThat()
        .resideInAPackage("dev.runner.mcp..").check(classes);
  }

  @Test
  void onlyTheGithubPackageKnowsGithubAndItDrivesNothing() {
    noClasses().that().resideOutsideOfPackages("dev.runner.github..", "dev.runner.cli..").should()
        .dependOnClassesThat().resideInAPackage("dev.runner.github..").check(classes);
    // fed by the run's results; it never reaches the loop, transports, config or batch
    noClasses().that().resideInAPackage("dev.runner.github..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.runner.loop..", "dev.runner.transport..", "dev.runner.config..",
            "dev.runner.batch..", "dev.runner.emulator..")
        .check(classes);
  }

  @Test
  void theLoopSeesOnlyTheTransportInterface() {
    noClasses().that().resideInAPackage("dev.runner.loop..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.runner.transport.http..", "dev.runner.transport.websocket..").check(classes);
  }

  @Test
  void theSecretRuleDependsOnNothingElseOfTheRunner() {
    // config, tools and logging all use it: it must not pull any of them (or anything else) in
    noClasses().that().resideInAPackage("dev.runner.environment..").should().dependOnClassesThat()
        .resideOutsideOfPackages("dev.runner.environment..", "java..").check(classes);
  }

  @Test
  void onlyMainExitsTheProcess() {
    noClasses().that().doNotHaveFullyQualifiedName("dev.runner.Main").should()
        .callMethod(System.class, "exit", int.class)
        .check(classes);
  }

  @Test
  void onlyTheReportWritesStdout() {
    noClasses().that().resideOutsideOfPackage("dev.runner.report..").should().accessField(System.class, "out")
        .check(classes);
  }

  @Test
  void nothingWritesStderrDirectly() {
    noClasses().should().accessField(System.class, "err").check(classes);
  }
}
