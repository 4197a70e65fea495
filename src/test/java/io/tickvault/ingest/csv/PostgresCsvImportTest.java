package io.tickvault.ingest.csv;

import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;

/** CSV import into a real PostgreSQL database. */
class PostgresCsvImportTest extends CsvImportContract {
  @Override
  protected BarStore newStore() {
    return Stores.open(TestPostgres.newDatabase());
  }
}
