package io.tickvault.domain.archfixture;

import io.tickvault.store.BarStore;
import java.sql.Connection;

/**
 * Deliberately breaks the package rules (a domain class that reaches into {@code store} and
 * {@code java.sql}). Test code only: {@code ArchitectureTest} checks that the rules catch it.
 */
public final class BrokenDomainClass {
  private BrokenDomainClass() {}

  public static String leak(BarStore store, Connection connection) {
    return store.toString() + connection;
  }
}
