package io.tickvault.config;

import io.tickvault.domain.DataMode;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.store.BarStore;
import io.tickvault.store.MirrorReadOnlyException;
import io.tickvault.store.MirrorStore;
import io.tickvault.store.StoreUrl;
import io.tickvault.store.Stores;
import java.nio.file.Files;
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
  private final boolean mayCreate;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private BarStore production;
  private BarStore testStore;
  private MirrorStore mirror;

  public Workspace(Settings settings) {
    this(settings, true);
  }

  /**
   * A workspace that, unless {@code mayCreateStores}, never creates a store (nor its folder): a
   * production or test store that does not exist yet is a {@link NotFoundException} that says where
   * tickvault looked and what would create one. Read-only commands use this.
   */
  public Workspace(Settings settings, boolean mayCreateStores) {
    this.settings = settings;
    this.mayCreate = mayCreateStores;
  }

  public Settings settings() {
    return settings;
  }

  public DataMode mode() {
    return settings.dataMode();
  }

  /**
   * The store of the configured DATA_MODE. "Same store" is decided by identity, never by spelling
   * ({@link Stores#sameStore}): test mode refuses a test store that is production or the mirror.
   */
  public BarStore store() {
    return switch (settings.dataMode()) {
      case LIVE -> production();
      case MIRROR -> mirror();
      case TEST -> testStore();
    };
  }

  /**
   * The production store. Refused with {@link MirrorReadOnlyException} when
   * {@code TICKVAULT_DATABASE_URL} (or {@code --db}) names the mirror file: the mirror changes only
   * through sync (the SQLite engine refuses any file holding a mirror as well).
   */
  public synchronized BarStore production() {
    if (production == null) {
      StoreUrl url = settings.database();
      if (!url.isPostgres() && url.sameStore(StoreUrl.sqlite(settings.mirrorPath()))) {
        throw MirrorReadOnlyException.refused("using it as the production store (--db or TICKVAULT_DATABASE_URL "
            + "names the mirror file)", "sqlite:" + settings.mirrorPath());
      }
      production = remember(open(url, Settings.DATABASE_URL, "--db or TICKVAULT_DATABASE_URL",
          "run `tickvault demo` or `tickvault ingest synthetic` (or `tickvault import csv FILE --source NAME --create`)"));
    }
    return production;
  }

  /** The mirror, opened read-only; fails with a hint to run sync when it does not exist. */
  public synchronized MirrorStore mirror() {
    if (mirror == null) {
      mirror = remember(Stores.openMirrorReadOnly(settings.mirrorPath()));
    }
    return mirror;
  }

  public synchronized BarStore testStore() {
    if (testStore == null) {
      StoreUrl test = settings.testDatabase();
      String which = test.sameStore(settings.database()) ? "the production store"
          : test.sameStore(StoreUrl.sqlite(settings.mirrorPath())) ? "the mirror" : null;
      if (which != null) {
        throw new InvalidInputException("TICKVAULT_TEST_DATABASE_URL names " + which + " (" + test.location()
            + ", the same store however it is spelled: symlink, host name, port or parameters); test data must go "
            + "to a separate store (default data/test.db)");
      }
      testStore = remember(open(test, Settings.TEST_DATABASE_URL, "TICKVAULT_TEST_DATABASE_URL",
          "run `tickvault ingest synthetic --mode test` to create one"));
    }
    return testStore;
  }

  private BarStore open(StoreUrl url, String key, String setting, String howToCreate) {
    if (mayCreate) {
      return Stores.open(url);
    }
    if (url.isPostgres()) {
      return Stores.openExisting(url);
    }
    Path file = url.file();
    if (!Files.isRegularFile(file)) {
      throw new NotFoundException("no store at " + file + " (working directory " + settings.workDir() + "); "
          + howToCreate + ", or point " + setting + " at an existing store (it comes from " + settings.origin(key)
          + ")");
    }
    return Stores.open(url);
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
