package io.tickvault.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a store is: a PostgreSQL database ({@link PgUrl}) or a SQLite file, parsed once from what
 * the user configured ({@code postgres://...}, {@code jdbc:postgresql://...}, a path, {@code sqlite:path}).
 * {@link #toString()} is the display {@link #location()}, never with credentials; the URL as given,
 * which may hold a password, is only handed to {@link Stores} to open the store.
 */
public final class StoreUrl {
  private final String url;
  private final PgUrl postgres;
  private final Path file;

  private StoreUrl(String url, PgUrl postgres, Path file) {
    this.url = url;
    this.postgres = postgres;
    this.file = file;
  }

  /**
   * Parses a store URL; a relative SQLite path is resolved against {@code workDir}. Malformed or
   * unsupported URLs are refused ({@link io.tickvault.domain.InvalidInputException}) without echoing
   * a value that may hold a password.
   */
  public static StoreUrl parse(String url, Path workDir) {
    Objects.requireNonNull(url, "store URL");
    if (PgUrl.isPostgres(url)) {
      return new StoreUrl(url, PgUrl.parse(url), null);
    }
    Path f = workDir.resolve(Stores.sqlitePath(url)).toAbsolutePath().normalize();
    return new StoreUrl(f.toString(), null, f);
  }

  /** A SQLite store file. */
  public static StoreUrl sqlite(Path file) {
    Path f = file.toAbsolutePath().normalize();
    return new StoreUrl(f.toString(), null, f);
  }

  /** Whether this is a PostgreSQL database. */
  public boolean isPostgres() {
    return postgres != null;
  }

  /** The SQLite file (absolute); null for PostgreSQL. */
  public Path file() {
    return file;
  }

  /** The parsed PostgreSQL URL; null for SQLite. */
  public PgUrl postgres() {
    return postgres;
  }

  /** {@code postgresql://host:port/db} or {@code sqlite:/abs/path.db}: never holds credentials. */
  public String location() {
    return isPostgres() ? postgres.toString() : "sqlite:" + file;
  }

  /** The URL to open the store with (a PostgreSQL URL may hold a password: never print it). */
  String url() {
    return url;
  }

  /** Whether both name the same store, however spelled ({@link Stores#sameStore}). */
  public boolean sameStore(StoreUrl other) {
    return Stores.sameStore(url, other.url);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreUrl s && s.url.equals(url);
  }

  @Override
  public int hashCode() {
    return url.hashCode();
  }

  @Override
  public String toString() {
    return location();
  }
}
