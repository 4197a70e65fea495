package io.tickvault.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Which process wrote a {@code running} row of the ingest log, so the next run can tell a run
 * still in progress from one whose process is gone (killed, crashed, machine rebooted): the
 * process id, the machine's name and the process's start time (a reused pid has another start
 * time). Written as {@code pid=123;host=name;start=2026-12-01T18:00:00.120Z}.
 */
public final class RunOwner {
  private static volatile String host;

  private RunOwner() {}

  /** This process, as stored in the ingest log. */
  public static String current() {
    ProcessHandle me = ProcessHandle.current();
    return "pid=" + me.pid() + ";host=" + host() + ";start="
        + me.info().startInstant().map(Instant::toString).orElse("");
  }

  /**
   * True when {@code owner} names a process on this machine that no longer runs (no process with
   * that pid, or one started at another time). False when it still runs, when it ran on another
   * machine (that cannot be checked from here), or when {@code owner} is null or unreadable (a row
   * written by an earlier version).
   */
  public static boolean isGone(String owner) {
    if (owner == null) {
      return false;
    }
    String pid = field(owner, "pid");
    String h = field(owner, "host");
    String start = field(owner, "start");
    if (pid == null || h == null || !h.equals(host())) {
      return false;
    }
    long id;
    try {
      id = Long.parseLong(pid);
    } catch (NumberFormatException e) {
      return false;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(id);
    if (p.isEmpty() || !p.get().isAlive()) {
      return true;
    }
    Optional<Instant> started = p.get().info().startInstant();
    return start != null && !start.isEmpty() && started.isPresent() && !started.get().toString().equals(start);
  }

  /** A readable form for messages: {@code process 123 on name}. */
  public static String describe(String owner) {
    String pid = owner == null ? null : field(owner, "pid");
    String h = owner == null ? null : field(owner, "host");
    return pid == null ? "an earlier process" : "process " + pid + (h == null ? "" : " on " + h);
  }

  private static String field(String owner, String name) {
    for (String part : owner.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).equals(name)) {
        return part.substring(eq + 1);
      }
    }
    return null;
  }

  /** The machine's name, looked up once (the lookup can be slow without DNS). */
  public static String host() {
    String h = host;
    if (h == null) {
      h = System.getenv().getOrDefault("HOSTNAME", "");
      if (h.isBlank()) {
        try {
          h = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
          h = "localhost";
        }
      }
      host = h;
    }
    return h;
  }
}
