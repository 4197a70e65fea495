package io.tickvault.source;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.OriginCount;
import io.tickvault.store.SourceRecord;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The mixing rules, written once; every path that puts rows into a source asks them before it
 * writes anything, and a refusal is a {@link MixingRefusedException} (nothing was changed).
 *
 * <p>A row's origin is real when the origin source is of kind {@code vendor}, generated otherwise
 * (kinds come from the registry; unregistered names default to generated for synthetic/mock/test
 * and vendor otherwise). The rules:
 *
 * <ul>
 *   <li>real- and generated-origin rows never share a table;
 *   <li>generated rows never go into a source of kind vendor;
 *   <li>a built-in vendor's table ({@link #VENDOR_TABLES}: {@code alpaca}, {@code polygon}) holds
 *       only rows of its own origin: a backup kept in {@code test} can be restored into
 *       {@code alpaca}, synthetic rows cannot go there, and no file is imported into it;
 *   <li>a download goes into a vendor source, and one that holds no other origin's rows (a source
 *       holds the bars of one vendor only).
 * </ul>
 *
 * Thread-safe (stateless over a thread-safe store).
 */
public final class MixingRules {
  /** Sources that hold one vendor's downloaded data only. */
  public static final Set<SourceName> VENDOR_TABLES = Set.of(SourceName.ALPACA, SourceName.POLYGON);

  private final BarStore store;

  public MixingRules(BarStore store) {
    this.store = store;
  }

  /** The kind of rows of a given origin. */
  public SourceKind originKind(SourceName origin) {
    return store.source(origin).filter(SourceRecord::registered).map(SourceRecord::kind)
        .orElse(SourceKind.defaultFor(origin));
  }

  /**
   * Rows of the {@code selected} origins copied into {@code target}, which will still hold rows of
   * the {@code remaining} origins ({@code migrate}, a split, a restored file); {@code selection}
   * names them in the message.
   */
  public void checkCopy(String verb, String selection, SourceRecord target, List<SourceName> selected,
      List<SourceName> remaining) {
    SourceName to = target.name();
    EnumSet<SourceKind> selKinds = EnumSet.noneOf(SourceKind.class);
    selected.forEach(o -> selKinds.add(originKind(o)));
    if (selKinds.size() > 1) {
      throw new MixingRefusedException(verb + " refused: " + selection + " mixes real and generated origins ("
          + join(selected) + ")" + ("migrate".equals(verb) ? "; narrow it with --symbol/--from/--to" : "")
          + ". Nothing was changed");
    }
    SourceKind kind = selKinds.iterator().next();
    if (VENDOR_TABLES.contains(to)) {
      List<SourceName> foreign = selected.stream().filter(o -> !o.equals(to)).toList();
      if (!foreign.isEmpty()) {
        throw new MixingRefusedException(verb + " refused: '" + to + "' holds only rows whose origin is " + to
            + ", but " + selection + " has origin " + join(foreign) + ". Nothing was changed");
      }
    } else if (target.kind() == SourceKind.VENDOR && kind == SourceKind.GENERATED) {
      throw new MixingRefusedException(verb + " refused: '" + to + "' is a vendor source (real data) and " + selection
          + " is generated (origin " + join(selected) + "). Nothing was changed");
    }
    List<SourceName> clash = remaining.stream().filter(o -> originKind(o) != kind).toList();
    if (!clash.isEmpty()) {
      throw new MixingRefusedException(verb + " refused: '" + to + "' holds " + label(kind == SourceKind.VENDOR
          ? SourceKind.GENERATED : SourceKind.VENDOR) + " rows (origin " + join(clash) + ") and " + selection + " is "
          + label(kind) + " (origin " + join(selected) + "); real and generated data never share a table. "
          + "Use another target or clean it first. Nothing was changed");
    }
  }

  /**
   * Bars downloaded from {@code vendor} (their origin {@code origin}) going into {@code target}, of
   * kind {@code kind} (its registered kind, or the one it will be created with).
   */
  public void checkDownload(SourceName target, SourceKind kind, SourceName origin, String vendor) {
    boolean own = target.equals(origin);
    if (!own && VENDOR_TABLES.contains(target)) {
      throw new MixingRefusedException("refused: " + target + " holds only bars downloaded from its own vendor "
          + "(origin " + target + "); " + vendor + " bars go to " + origin + " or to a vendor source of your own, "
          + "e.g. --into " + origin + "_extra");
    }
    if (kind == SourceKind.GENERATED) {
      throw new MixingRefusedException("refused: " + target + " is a generated source (kind generated) and " + vendor
          + " bars are real market data; write them to " + origin + " or to a vendor source: --into NAME creates one");
    }
    if (!own && store.source(target).filter(SourceRecord::tableExists).isPresent()) {
      List<String> others = store.origins(target, BarFilter.ALL).stream().filter(oc -> !oc.origin().equals(origin))
          .map(oc -> oc.origin() + " (" + oc.rows() + " rows)").toList();
      if (!others.isEmpty()) {
        throw new MixingRefusedException("refused: " + target + " already holds rows of origin "
            + String.join(", ", others) + "; a source holds the bars of one vendor only, so " + vendor
            + " bars go to " + origin + " or to another --into source");
      }
    }
  }

  /** Generated (synthetic) bars going into {@code target}, of kind {@code kind}. */
  public void checkGenerated(SourceName target, SourceKind kind) {
    if (kind != SourceKind.GENERATED) {
      throw new MixingRefusedException("refusing to write synthetic data into '" + target + "': it is a vendor source "
          + "(real market data). Use --into synthetic, mock, test, or a source created with --kind generated");
    }
    if (store.source(target).filter(SourceRecord::tableExists).isEmpty()) {
      return;
    }
    for (OriginCount oc : store.origins(target, BarFilter.ALL)) {
      if (originKind(oc.origin()) == SourceKind.VENDOR) {
        throw new MixingRefusedException("refusing to write synthetic data into '" + target + "': it holds "
            + oc.rows() + " rows of real origin '" + oc.origin() + "'; real and generated data never share a table");
      }
    }
  }

  /** A file's rows imported into {@code target} under its own name: never into a built-in vendor's table. */
  public static void checkImport(SourceName target) {
    if (VENDOR_TABLES.contains(target)) {
      String vendor = target.value().substring(0, 1).toUpperCase(Locale.ROOT) + target.value().substring(1);
      throw new MixingRefusedException("refused: " + target + " holds only bars downloaded from " + vendor
          + " (use `tickvault ingest " + target + "`); import into a source of your own, e.g. --source " + target
          + "_csv");
    }
  }

  /** A source that may not exist yet, as the rules see it: an absent one is new and empty. */
  SourceRecord targetOrNew(SourceName to, SourceKind kindIfNew) {
    Optional<SourceRecord> existing = store.source(to).filter(SourceRecord::tableExists);
    return existing.orElseGet(() -> new SourceRecord(to, kindIfNew, null, null, false, false, null, null, null));
  }

  private static String label(SourceKind k) {
    return k == SourceKind.VENDOR ? "real" : "generated";
  }

  static String join(List<SourceName> names) {
    return names.stream().map(SourceName::value).collect(Collectors.joining(", "));
  }
}
