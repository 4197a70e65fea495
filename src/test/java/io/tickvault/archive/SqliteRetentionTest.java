package io.tickvault.archive;

import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;

/** {@link RetentionContract} on an embedded SQLite file. */
class SqliteRetentionTest extends RetentionContract {
  @Override
  BarStore open() {
    return Stores.open(dir.resolve("tickvault.db").toString());
  }
}
