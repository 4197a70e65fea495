package io.tickvault.store;

import io.tickvault.store.sqlite.SqliteBarStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on SQLite, in a temporary file. */
class SqliteBarStoreTest extends BarStoreContract {
  @TempDir
  Path dir;

  @Override
  protected BarStore newStore() {
    return SqliteBarStore.open(dir.resolve("store.db"), SqliteBarStore.Mode.PRODUCTION);
  }
}
