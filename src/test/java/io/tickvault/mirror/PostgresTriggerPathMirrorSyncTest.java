package io.tickvault.mirror;

import io.tickvault.testing.TestPostgres;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole sync contract with production opened by a role that owns its database but may not set
 * {@code session_replication_role}: tickvault's own writes are tracked by the change-tracking
 * triggers, as any other writer's ({@link PostgresMirrorSyncTest} runs it as a superuser, whose own
 * writes record their changes themselves).
 */
class PostgresTriggerPathMirrorSyncTest extends PostgresMirrorSyncTest {
  /** database -> the role that owns it, dropped after the class. */
  private static final Map<String, String> OWNERS = new ConcurrentHashMap<>();

  @Override
  protected String storeUrl(String superuserUrl) {
    return superuserUrl.replaceFirst("\\?.*$", "") + "?user=" + owner(superuserUrl) + "&password=owner";
  }

  /** Plain SQL runs as the owner too, so the tables it makes are the owner's, as they would be. */
  @Override
  protected String plainSqlRole(String superuserUrl) {
    return owner(superuserUrl);
  }

  private static String owner(String superuserUrl) {
    String db = superuserUrl.replaceFirst("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
    return OWNERS.computeIfAbsent(db, d -> {
      String r = "tv_owner_" + UUID.randomUUID().toString().substring(0, 8);
      TestPostgres.admin("CREATE ROLE " + r + " LOGIN PASSWORD 'owner'", "ALTER DATABASE " + d + " OWNER TO " + r);
      return r;
    });
  }

  @AfterAll
  static void dropRoles() {
    OWNERS.forEach((db, role) -> {
      for (String d : List.of(db, db + "_bak")) {
        TestPostgres.admin("DROP DATABASE IF EXISTS " + d + " WITH (FORCE)");
      }
    });
    for (String role : OWNERS.values()) {
      TestPostgres.admin("DROP OWNED BY " + role, "DROP ROLE " + role);
    }
  }
}
