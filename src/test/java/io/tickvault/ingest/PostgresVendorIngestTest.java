package io.tickvault.ingest;

import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;

/** Vendor ingest into a real PostgreSQL database. */
class PostgresVendorIngestTest extends VendorIngestContract {
  @Override
  protected BarStore newStore() {
    return Stores.open(TestPostgres.newDatabase());
  }
}
