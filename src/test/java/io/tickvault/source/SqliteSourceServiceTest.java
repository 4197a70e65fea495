package io.tickvault.source;

import io.tickvault.store.BarStore;
import io.tickvault.store.sqlite.SqliteBarStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSourceServiceTest extends SourceServiceContract {
  @TempDir
  Path dir;

  @Override
  protected BarStore newStore() {
    return SqliteBarStore.open(dir.resolve("s.db"), SqliteBarStore.Mode.PRODUCTION);
  }
}
