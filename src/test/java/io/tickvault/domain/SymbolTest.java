package io.tickvault.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 9: the raw text is validated before it is normalised, so no character turns into another symbol. */
class SymbolTest {
  @Test
  void ascii_letters_are_upper_cased_and_surrounding_blanks_trimmed() {
    assertEquals("BRK.B", Symbol.of(" brk.b\t").value());
    assertEquals("BTC/USD", Symbol.of("btc/usd").value());
  }

  @Test
  void characters_that_normalising_would_change_are_refused_by_name() {
    String[][] cases = {
        {"stra\u00dfe", "'\u00df' (U+00DF LATIN SMALL LETTER SHARP S) at position 5"},
        {"\u0131bm", "'\u0131' (U+0131 LATIN SMALL LETTER DOTLESS I) at position 1"},
        {"AAPL\u0000", "U+0000 NULL at position 5"},
        {"\u0661\u0662", "'\u0661' (U+0661 ARABIC-INDIC DIGIT ONE) at position 1"},
        {"AA PL", "U+0020 SPACE at position 3"},
        {"\uFF21APL", "'\uFF21' (U+FF21 FULLWIDTH LATIN CAPITAL LETTER A)"},
    };
    for (String[] c : cases) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> Symbol.of(c[0]), c[0]);
      assertTrue(e.getMessage().contains("character " + c[1]), e.getMessage());
    }
  }
}
