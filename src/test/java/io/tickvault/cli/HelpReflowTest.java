package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Help descriptions are paragraphs wrapped to the terminal, not source lines broken where the code ended them. */
class HelpReflowTest {
  @Test
  void sourceLinesJoinIntoParagraphsAndListsAndBlankLinesStayAsWritten() {
    String[] in = {"Copy rows from one source to another. Rerunning duplicates nothing",
        "(rows are upserted).", "", "The layout is recognised from the header:", "  symbol,timestamp,open",
        "  Date,Open,High", "in any letter case. One bad line", "refuses the whole import."};
    assertArrayEquals(new String[] {"Copy rows from one source to another. Rerunning duplicates nothing (rows are upserted).",
        "", "The layout is recognised from the header:", "  symbol,timestamp,open", "  Date,Open,High",
        "in any letter case. One bad line refuses the whole import."}, Cli.reflow(in));
  }

  @Test
  void anEmptyDescriptionStaysEmpty() {
    assertArrayEquals(new String[0], Cli.reflow(new String[0]));
  }
}
