package io.tickvault.store;

/**
 * Identity of a store: engine ({@code postgresql} or {@code sqlite}), a display location without
 * credentials (host:port/db, or the file path), a stable {@code storeId} (UUID kept in the store's
 * own metadata) and whether this handle is read-only.
 */
public record StoreInfo(String engine, String host, Integer port, String database, String storeId,
    boolean readOnly) {

  /** {@code postgresql://host:port/db} or {@code sqlite:/path/file.db}: never contains credentials. */
  public String location() {
    if ("postgresql".equals(engine)) {
      return "postgresql://" + host + ":" + port + "/" + database;
    }
    return "sqlite:" + database;
  }
}
