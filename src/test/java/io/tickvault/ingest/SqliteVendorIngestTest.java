package io.tickvault.ingest;

import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Vendor ingest into the embedded default: a real SQLite file. */
class SqliteVendorIngestTest extends VendorIngestContract {
  @TempDir
  Path dir;

  @Override
  protected BarStore newStore() {
    return Stores.open(dir.resolve("tickvault.db").toString());
  }
}
