package io.tenantry.sessions;

import io.tenantry.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.util.List;
import java.util.UUID;

/**
 * Brings access-token revocations to every node: applied here at once, then published on the (clustered) event bus;
 * each node applies what it receives to its {@link Tokens}. A node loads the live revocations at start and again
 * when the cluster membership changes (a notice may have been lost meanwhile), and forgets expired ones each minute.
 */
final class Revocations {
  static final String ADDRESS = "tenantry.sessions.revoked";
  private static final long PURGE_MS = 60_000;

  private final SessionStore store;
  private final Tokens tokens;
  private EventBus eventBus;
  private MessageConsumer<JsonObject> consumer;
  private long purgeTimer = -1;
  private Vertx vertx;

  Revocations(SessionStore store, Tokens tokens) {
    this.store = store;
    this.tokens = tokens;
  }

  Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    consumer = eventBus.consumer(ADDRESS, message -> apply(message.body()));
    purgeTimer = vertx.setPeriodic(PURGE_MS, id -> tokens.purgeRevocations(System.currentTimeMillis()));
    return consumer.completion().compose(listening -> reload());
  }

  void stop() {
    if (vertx != null && purgeTimer >= 0) {
      vertx.cancelTimer(purgeTimer);
    }
    if (consumer != null) {
      consumer.unregister();
    }
  }

  Future<Void> reload() {
    return Future.all(store.liveRevokedJtis(), store.notBefores()).map(loaded -> {
      List<SessionStore.RevokedJti> jtis = loaded.resultAt(0);
      jtis.forEach(j -> tokens.revoke(j.jti(), j.expiresAtMillis()));
      List<Row> users = loaded.resultAt(1);
      users.forEach(row -> tokens.revokeBefore(row.getUUID("user_id"), row.getLong("not_before")));
      return null;
    });
  }

  void jtisRevoked(List<SessionStore.RevokedJti> jtis) {
    if (jtis.isEmpty()) {
      return;
    }
    JsonArray list = new JsonArray();
    jtis.forEach(j -> list.add(new JsonObject().put("jti", j.jti()).put("exp", j.expiresAtMillis())));
    announce(new JsonObject().put("jtis", list));
  }

  void userRevoked(UUID user, long notBeforeSeconds) {
    announce(new JsonObject().put("user", user.toString()).put("not_before", notBeforeSeconds));
  }

  private void announce(JsonObject notice) {
    apply(notice);
    eventBus.publish(ADDRESS, notice);
  }

  private void apply(JsonObject notice) {
    JsonArray jtis = notice.getJsonArray("jtis");
    if (jtis != null) {
      for (int i = 0; i < jtis.size(); i++) {
        JsonObject j = jtis.getJsonObject(i);
        tokens.revoke(j.getString("jti"), j.getLong("exp"));
      }
    }
    String user = notice.getString("user");
    if (user != null) {
      tokens.revokeBefore(UUID.fromString(user), notice.getLong("not_before"));
    }
  }
}
