package io.tickvault.ingest.csv;

import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;

/** CSV import into the embedded default: a real SQLite file. */
class SqliteCsvImportTest extends CsvImportContract {
  @Override
  protected BarStore newStore() {
    return Stores.open(dir.resolve("tickvault.db").toString());
  }
}
