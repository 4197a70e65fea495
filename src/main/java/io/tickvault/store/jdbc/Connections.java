package io.tickvault.store.jdbc;

import io.tickvault.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where a store's connections come from, and the two ways work runs on one: borrowed (auto-commit
 * on) or in one transaction. Failures become the store's {@link StoreException}, named by the
 * engine's {@link Failures} (which can name causes the user can act on, such as a full disk).
 * Thread-safe when the opener is.
 */
public final class Connections {

  /** Opens a connection with auto-commit on; the caller closes it. */
  @FunctionalInterface
  public interface Opener {
    Connection open() throws SQLException;
  }

  /** The store's error for a failed operation. */
  @FunctionalInterface
  public interface Failures {
    StoreException of(String what, SQLException e);
  }

  /** Sets a connection up for a streaming read (e.g. auto-commit off, so pgjdbc uses a cursor). */
  @FunctionalInterface
  public interface Streaming {
    void prepare(Connection c) throws SQLException;
  }

  /** Work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  private final Opener opener;
  private final Failures failures;
  private final Streaming streaming;

  public Connections(Opener opener, Failures failures, Streaming streaming) {
    this.opener = opener;
    this.failures = failures;
    this.streaming = streaming;
  }

  /** A new connection (auto-commit on); the caller closes it. */
  public Connection open() throws SQLException {
    return opener.open();
  }

  /** The store's error for {@code what} failing with {@code e}. */
  public StoreException failure(String what, SQLException e) {
    return failures.of(what, e);
  }

  /** Runs work on a borrowed connection (auto-commit on). */
  public <T> T with(String what, Work<T> work) {
    try (Connection c = opener.open()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw failures.of(what, e);
    }
  }

  /**
   * Runs a read on a borrowed connection set up for streaming; whatever transaction that opened is
   * rolled back afterwards (a read writes nothing).
   */
  public <T> T streaming(String what, Work<T> work) {
    return with(what, c -> {
      streaming.prepare(c);
      try {
        return work.apply(c);
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback();
          c.setAutoCommit(true);
        }
      }
    });
  }

  /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = opener.open()) {
      c.setAutoCommit(false);
      T result;
      try {
        result = work.apply(c);
        c.commit();
      } catch (SQLException | RuntimeException | Error e) {
        // the engine may have rolled back already (SQLite does on a full disk): the first error is the
        // cause, what the rollback and the return to auto-commit say is kept only as suppressed
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        try {
          c.setAutoCommit(true);
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      c.setAutoCommit(true);
      return result;
    } catch (SQLException e) {
      throw failures.of(what, e);
    }
  }

  /** Whether {@code table} has {@code column} (a store made by an older version may lack it). */
  static boolean hasColumn(Connection c, String table, String column) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        if (column.equalsIgnoreCase(md.getColumnName(i))) {
          return true;
        }
      }
    }
    return false;
  }
}
