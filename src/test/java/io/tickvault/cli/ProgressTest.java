package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The progress helper's rendering, enabled and disabled. */
class ProgressTest {
  @Test
  void draws_one_line_per_item_in_place_and_finishes_it() {
    StringWriter sw = new StringWriter();
    try (Progress p = new Progress(new PrintWriter(sw), true, 10)) {
      p.update("AAPL", 0.5, "5 bars");
      p.update("AAPL", 0.5, "5 bars"); // unchanged: not redrawn
      p.update("AAPL", 0.55, "6 bars");
      p.update("MSFT", 0.0, "0 bars"); // a new item finishes the previous line
      p.println("a notice");
      p.done("MSFT", "9 bars");
    }
    assertEquals("\rAAPL       [#####-----]  50%  5 bars"
        + "\rAAPL       [#####-----]  55%  6 bars\n"
        + "\rMSFT       [----------]   0%  0 bars"
        + "\ra notice" + " ".repeat(28) + "\n" // padded over the 36-character line
        + "\rMSFT       [----------]   0%  0 bars"
        + "\rMSFT       [##########] 100%  9 bars\n", sw.toString());
  }

  @Test
  void disabled_progress_prints_only_notices() {
    StringWriter sw = new StringWriter();
    try (Progress p = new Progress(new PrintWriter(sw), false, 10)) {
      p.update("AAPL", 0.5, "5 bars");
      p.println("a notice");
      p.done("AAPL", "9 bars");
    }
    assertEquals("a notice" + System.lineSeparator(), sw.toString());
  }

  @Test
  void bar_clamps_and_handles_unknown() {
    assertEquals("[####]", Progress.bar(1.7, 4));
    assertEquals("[----]", Progress.bar(Double.NaN, 4));
    assertEquals("[##--]", Progress.bar(0.5, 4));
  }
}
