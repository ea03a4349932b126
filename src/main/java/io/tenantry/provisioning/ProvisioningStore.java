package io.tenantry.provisioning;

import io.tenantry.tenant.Isolation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The one class that knows the SQL of platform.provisioning_jobs and platform.provisioning_steps. */
final class ProvisioningStore {
  private static final String INSERT_JOB = "INSERT INTO platform.provisioning_jobs (tenant_id, spec) VALUES ($1, $2) "
    + "ON CONFLICT (tenant_id) DO NOTHING";
  /** The tenant row exists by the time its job does: that step is done when the job is made. */
  private static final String INSERT_STEP = "INSERT INTO platform.provisioning_steps "
    + "(tenant_id, position, name, state, started_at, finished_at) VALUES ($1, $2, $3, $4, "
    + "CASE WHEN $4 = 'done' THEN now() END, CASE WHEN $4 IN ('done', 'skipped') THEN now() END) "
    + "ON CONFLICT (tenant_id, position) DO NOTHING";
  private static final String SPEC = "SELECT spec FROM platform.provisioning_jobs WHERE tenant_id = $1";
  private static final String STEPS = "SELECT name, state, attempts, started_at, finished_at, error "
    + "FROM platform.provisioning_steps WHERE tenant_id = $1 ORDER BY position";
  private static final String RUNNING = "UPDATE platform.provisioning_steps SET state = 'running', "
    + "attempts = attempts + 1, started_at = now(), finished_at = NULL, error = NULL "
    + "WHERE tenant_id = $1 AND position = $2 RETURNING attempts";
  private static final String FINISHED = "UPDATE platform.provisioning_steps SET state = $3, finished_at = now(), "
    + "error = $4 WHERE tenant_id = $1 AND position = $2";
  private static final String MIGRATED = "UPDATE platform.tenants SET schema_version = $2, migrated_at = now(), "
    + "migration_error = NULL, updated_at = now() WHERE id = $1";
  private static final String ACTIVATE = "UPDATE platform.tenants SET status = 'active', updated_at = now() "
    + "WHERE id = $1 AND status IN ('provisioning', 'active')";
  private static final String INVITED = "SELECT EXISTS (SELECT 1 FROM platform.invitations WHERE tenant_id = $1 "
    + "AND lower(email) = lower($2)) AS yes";
  /**
   * Tenants left 'provisioning': those with a job, and (after a minute, so a creation in flight elsewhere can write
   * its own job first) those whose node died between the row and the job.
   */
  private static final String UNFINISHED = "SELECT t.id FROM platform.tenants t WHERE t.status = 'provisioning' "
    + "AND (EXISTS (SELECT 1 FROM platform.provisioning_jobs j WHERE j.tenant_id = t.id) "
    + "OR t.created_at < now() - interval '1 minute') ORDER BY t.id";

  /** A step as recorded. */
  record Recorded(ProvisioningStep step, String state, int attempts, OffsetDateTime startedAt,
                  OffsetDateTime finishedAt, String error) {
    boolean finished() {
      return "done".equals(state) || "skipped".equals(state);
    }

    JsonObject toJson(boolean withError) {
      JsonObject json = new JsonObject().put("name", step.sql()).put("state", state).put("attempts", attempts);
      if (startedAt != null) {
        json.put("started_at", startedAt.toString());
      }
      if (finishedAt != null) {
        json.put("finished_at", finishedAt.toString());
      }
      if (startedAt != null && finishedAt != null) {
        json.put("duration_ms", java.time.Duration.between(startedAt, finishedAt).toMillis());
      }
      if (error != null) {
        json.put("error", withError ? error : "failed; a super-admin can read the error");
      }
      return json;
    }
  }

  private final Pool pool;

  ProvisioningStore(Pool pool) {
    this.pool = pool;
  }

  /** Records the job and its steps (idempotent: an existing job is kept as it is). */
  Future<Void> createJob(UUID tenantId, Isolation isolation, ProvisioningSpec spec) {
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT_JOB).execute(Tuple.of(tenantId, spec.toJson()))
      .compose(v -> {
        List<Tuple> steps = new ArrayList<>();
        for (ProvisioningStep step : ProvisioningStep.values()) {
          String state = step == ProvisioningStep.TENANT_ROW ? "done"
            : step.skippedFor(spec, isolation) ? "skipped" : "pending";
          steps.add(Tuple.of(tenantId, step.position(), step.sql(), state));
        }
        return tx.preparedQuery(INSERT_STEP).executeBatch(steps);
      })).mapEmpty();
  }

  Future<Optional<ProvisioningSpec>> spec(UUID tenantId) {
    return pool.preparedQuery(SPEC).execute(Tuple.of(tenantId)).map(rows -> rows.size() == 0 ? Optional.empty()
      : Optional.of(ProvisioningSpec.fromJson(rows.iterator().next().getJsonObject("spec"))));
  }

  Future<List<Recorded>> steps(UUID tenantId) {
    return pool.preparedQuery(STEPS).execute(Tuple.of(tenantId)).map(rows -> {
      List<Recorded> out = new ArrayList<>(rows.size());
      for (Row row : rows) {
        out.add(new Recorded(ProvisioningStep.parse(row.getString("name")), row.getString("state"),
          row.getInteger("attempts"), row.getOffsetDateTime("started_at"), row.getOffsetDateTime("finished_at"),
          row.getString("error")));
      }
      return out;
    });
  }

  /** Marks the step running; answers which attempt this is (1 for the first). */
  Future<Integer> running(UUID tenantId, ProvisioningStep step) {
    return pool.preparedQuery(RUNNING).execute(Tuple.of(tenantId, step.position()))
      .map(rows -> rows.iterator().next().getInteger("attempts"));
  }

  Future<Void> done(UUID tenantId, ProvisioningStep step) {
    return pool.preparedQuery(FINISHED).execute(Tuple.of(tenantId, step.position(), "done", null)).mapEmpty();
  }

  Future<Void> failed(UUID tenantId, ProvisioningStep step, String error) {
    String bounded = error == null ? "failed" : error.length() > 2000 ? error.substring(0, 2000) : error;
    return pool.preparedQuery(FINISHED).execute(Tuple.of(tenantId, step.position(), "failed", bounded)).mapEmpty();
  }

  Future<Void> migrated(UUID tenantId, int version) {
    return pool.preparedQuery(MIGRATED).execute(Tuple.of(tenantId, version)).mapEmpty();
  }

  Future<Void> activate(UUID tenantId) {
    return pool.preparedQuery(ACTIVATE).execute(Tuple.of(tenantId)).mapEmpty();
  }

  Future<Boolean> invited(UUID tenantId, String email) {
    return pool.preparedQuery(INVITED).execute(Tuple.of(tenantId, email))
      .map(rows -> rows.iterator().next().getBoolean("yes"));
  }

  Future<List<UUID>> unfinished() {
    return pool.query(UNFINISHED).execute().map(rows -> {
      List<UUID> ids = new ArrayList<>(rows.size());
      rows.forEach(row -> ids.add(row.getUUID("id")));
      return ids;
    });
  }
}
