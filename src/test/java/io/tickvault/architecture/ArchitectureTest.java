package io.tickvault.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.tickvault.domain.archfixture.BrokenDomainClass;
import io.tickvault.mirror.archfixture.BrokenMirrorClass;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, checked by the build. Each rule is a constant so that
 * {@link #theRulesCatchABrokenClass()} can show it failing on a class that breaks it on purpose.
 */
class ArchitectureTest {
  private static final String ROOT = "io.tickvault";

  /** domain is the vocabulary: java.* only. */
  static final ArchRule DOMAIN_IS_PURE = classes().that().resideInAPackage(ROOT + ".domain..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", ROOT + ".domain..")
      .because("domain depends on java.* only (docs/architecture.md)");

  /** calendar is vocabulary too: java.* and domain only. */
  static final ArchRule CALENDAR_IS_PURE = classes().that().resideInAPackage(ROOT + ".calendar..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", ROOT + ".domain..", ROOT + ".calendar..")
      .because("calendar depends on java.* and domain only (docs/architecture.md)");

  /** store sits below every service, the server and the command line. */
  static final ArchRule STORE_IS_BELOW_THE_SERVICES = noClasses().that().resideInAPackage(ROOT + ".store..")
      .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".config..", ROOT + ".source..",
          ROOT + ".ingest..", ROOT + ".mirror..", ROOT + ".bench..", ROOT + ".server..", ROOT + ".cli..",
          ROOT + ".app..", ROOT + ".quality..", ROOT + ".backtest..", ROOT + ".archive..")
      .because("store depends on domain only");

  /**
   * The engines are not API: everything outside store reaches them through store.Stores and the store
   * interfaces (BarStore, MirrorStore). The one exception is bench, which measures raw engine baselines.
   */
  static final ArchRule ENGINES_ARE_NOT_API = noClasses().that().resideOutsideOfPackages(ROOT + ".store..",
          ROOT + ".bench..")
      .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".store.sqlite..", ROOT + ".store.postgres..",
          ROOT + ".store.jdbc..")
      .because("engines are reached through store.Stores and the store interfaces");

  /** SQL stays in store (bench's baselines are the one documented exception). */
  static final ArchRule SQL_STAYS_IN_STORE = noClasses().that().resideOutsideOfPackages(ROOT + ".store..",
          ROOT + ".bench..")
      .should().dependOnClassesThat().resideInAPackage("java.sql..")
      .because("no SQL outside the store (docs/architecture.md)");

  /** Vendor packages never import each other or store. */
  static final ArchRule POLYGON_IS_ISOLATED = noClasses().that().resideInAPackage(ROOT + ".ingest.polygon..")
      .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".ingest.alpaca..", ROOT + ".store..");

  static final ArchRule ALPACA_IS_ISOLATED = noClasses().that().resideInAPackage(ROOT + ".ingest.alpaca..")
      .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".ingest.polygon..", ROOT + ".store..");

  /** Only app wires the command line; the services and the server never call into it. */
  static final ArchRule NOTHING_DEPENDS_ON_CLI = noClasses().that().resideOutsideOfPackages(ROOT + ".cli..",
          ROOT + ".app..")
      .should().dependOnClassesThat().resideInAPackage(ROOT + ".cli..");

  static final ArchRule NOTHING_DEPENDS_ON_APP = noClasses().that().resideOutsideOfPackage(ROOT + ".app..")
      .should().dependOnClassesThat().resideInAPackage(ROOT + ".app..");

  /** The services (source, ingest, mirror) sit below the server and the command line. */
  static final ArchRule SERVICES_ARE_BELOW_THE_FRONT_ENDS = noClasses().that()
      .resideInAnyPackage(ROOT + ".source..", ROOT + ".ingest..", ROOT + ".mirror..", ROOT + ".config..",
          ROOT + ".quality..", ROOT + ".backtest..", ROOT + ".calendar..", ROOT + ".archive..")
      .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".server..", ROOT + ".cli..", ROOT + ".app..");

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    // The compiled main classes only (scanning the whole class path for the package is slow).
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPath(Path.of("target", "classes"));
  }

  @Test
  void domainIsPure() {
    DOMAIN_IS_PURE.check(main);
  }

  @Test
  void calendarIsPure() {
    CALENDAR_IS_PURE.check(main);
  }

  @Test
  void storeIsBelowTheServices() {
    STORE_IS_BELOW_THE_SERVICES.check(main);
  }

  @Test
  void enginesAreNotApi() {
    ENGINES_ARE_NOT_API.check(main);
  }

  @Test
  void sqlStaysInStore() {
    SQL_STAYS_IN_STORE.check(main);
  }

  @Test
  void vendorPackagesAreIsolated() {
    POLYGON_IS_ISOLATED.check(main);
    ALPACA_IS_ISOLATED.check(main);
  }

  @Test
  void frontEndsAreOnTop() {
    NOTHING_DEPENDS_ON_CLI.check(main);
    NOTHING_DEPENDS_ON_APP.check(main);
    SERVICES_ARE_BELOW_THE_FRONT_ENDS.check(main);
  }

  @Test
  void theMainClassesWereImported() {
    // A rule over an empty import passes vacuously: make sure the import found the code.
    assertTrue(main.containPackage(ROOT + ".domain") && main.containPackage(ROOT + ".store")
        && main.size() > 100, "imported " + main.size() + " classes");
  }

  @Test
  void theRulesCatchABrokenClass() {
    JavaClasses broken = new ClassFileImporter().importClasses(BrokenDomainClass.class);
    EvaluationResult result = DOMAIN_IS_PURE.evaluate(broken);
    assertTrue(result.hasViolation(), "a domain class importing store and java.sql must break the rule");
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertTrue(report.contains("java.sql.Connection") && report.contains("io.tickvault.store.BarStore"), report);
    assertFalse(ENGINES_ARE_NOT_API.evaluate(broken).hasViolation(), "BarStore is API: only the engines are not");
  }

  @Test
  void theEngineBoundaryCatchesAMirrorClassThatReachesIntoSqlite() {
    JavaClasses broken = new ClassFileImporter().importClasses(BrokenMirrorClass.class);
    EvaluationResult engines = ENGINES_ARE_NOT_API.evaluate(broken);
    assertTrue(engines.hasViolation(), "a mirror class importing store.sqlite must break the rule");
    String report = String.join("\n", engines.getFailureReport().getDetails());
    assertTrue(report.contains("io.tickvault.store.sqlite.SqliteBarStore"), report);
    EvaluationResult sql = SQL_STAYS_IN_STORE.evaluate(broken);
    assertTrue(sql.hasViolation(), "a mirror class using java.sql must break the rule");
    assertTrue(String.join("\n", sql.getFailureReport().getDetails()).contains("java.sql.Connection"));
  }
}
