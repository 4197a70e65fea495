package io.tickvault.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned columns; numbers are right-aligned. */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  public Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c == null ? "-" : c.toString());
    }
    rows.add(r);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public void print(PrintWriter out) {
    int n = header.size();
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = header.get(i).length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    line(out, header, w, false);
    StringBuilder sep = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sep.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
    }
    out.println(sep);
    for (List<String> r : rows) {
      line(out, r, w, true);
    }
  }

  private static void line(PrintWriter out, List<String> cells, int[] w, boolean alignNumbers) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      if (i > 0) b.append("  ");
      boolean num = alignNumbers && c.matches("-?[0-9][0-9,.]*");
      String pad = " ".repeat(w[i] - c.length());
      b.append(num ? pad + c : (i == cells.size() - 1 ? c : c + pad));
    }
    out.println(b.toString().stripTrailing());
  }
}
