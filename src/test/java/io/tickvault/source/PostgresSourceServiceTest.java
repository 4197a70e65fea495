package io.tickvault.source;

import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;

class PostgresSourceServiceTest extends SourceServiceContract {
  @Override
  protected BarStore newStore() {
    return Stores.open(TestPostgres.newDatabase());
  }
}
