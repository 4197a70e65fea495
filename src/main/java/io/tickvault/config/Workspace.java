package io.tickvault.config;

import io.tickvault.domain.DataMode;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.store.sqlite.SqliteBarStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens, caches and closes the stores that {@link Settings} name: production
 * ({@code TICKVAULT_DATABASE_URL}), the read-only mirror ({@code TICKVAULT_MIRROR}) and the test
 * store ({@code TICKVAULT_TEST_DATABASE_URL}). Stores open lazily, so a command that only reads
 * the mirror never connects to production. Thread-safe.
 */
public final class Workspace implements AutoCloseable {
  private final Settings settings;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private BarStore production;
  private BarStore testStore;
  private SqliteBarStore mirror;

  public Workspace(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  public DataMode mode() {
    return settings.dataMode();
  }

  /** The store of the configured DATA_MODE. */
  public BarStore store() {
    return switch (settings.dataMode()) {
      case LIVE -> production();
      case MIRROR -> mirror();
      case TEST -> testStore();
    };
  }

  public synchronized BarStore production() {
    if (production == null) {
      production = remember(Stores.open(settings.databaseUrl()));
    }
    return production;
  }

  /** The mirror, opened read-only; fails with a hint to run sync when it does not exist. */
  public synchronized SqliteBarStore mirror() {
    if (mirror == null) {
      mirror = remember(Stores.openMirrorReadOnly(settings.mirrorPath()));
    }
    return mirror;
  }

  public synchronized BarStore testStore() {
    if (testStore == null) {
      String test = settings.testDatabaseUrl();
      if (test.equals(settings.databaseUrl()) || (!Stores.isPostgres(test)
          && Path.of(test).equals(settings.mirrorPath()))) {
        throw new InvalidInputException("TICKVAULT_TEST_DATABASE_URL names the production store or the mirror; "
            + "test data must go to a separate store (default data/test.db)");
      }
      testStore = remember(Stores.open(test));
    }
    return testStore;
  }

  private <T extends AutoCloseable> T remember(T store) {
    opened.add(store);
    return store;
  }

  @Override
  public synchronized void close() {
    for (AutoCloseable c : opened) {
      try {
        c.close();
      } catch (Exception e) {
        // closing is best effort
      }
    }
    opened.clear();
    production = null;
    testStore = null;
    mirror = null;
  }
}
