package io.tenantry.billing;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Computes and stores invoices. Storing a payer's invoice of a period is one transaction under an advisory lock of
 * its own: a draft is replaced by the new computation; a finalized invoice is returned as it is (the database
 * refuses any change to it anyway). Corrections of a finalized invoice are credit notes.
 */
public final class Invoices {
  private final Pool pool;
  private final AccountLoader loader;

  Invoices(Pool pool, AccountLoader loader) {
    this.pool = pool;
    this.loader = loader;
  }

  /** Recomputes the payer's invoice of the period, as a draft or finalized; a finalized one stays as it was. */
  public Future<Invoice> compute(UUID payer, String slug, BillingPeriod period, boolean finalize) {
    return loader.load(payer, period).compose(input -> {
      InvoiceCalculator.Draft draft = InvoiceCalculator.compute(period.start(), period.end(), payer, input.currency(),
        input.accounts());
      return pool.withTransaction(conn -> store(conn, payer, period, draft, finalize))
        .compose(id -> get(payer, slug, id));
    });
  }

  private Future<UUID> store(SqlConnection conn, UUID payer, BillingPeriod period, InvoiceCalculator.Draft draft,
                             boolean finalize) {
    var start = period.start().atOffset(ZoneOffset.UTC);
    String status = finalize ? "finalized" : "draft";
    return conn.preparedQuery(BillingSql.LOCK_INVOICE).execute(Tuple.of(payer, start))
      .compose(locked -> conn.preparedQuery(BillingSql.FIND_INVOICE).execute(Tuple.of(payer, start)))
      .compose(found -> {
        if (found.size() == 1) {
          Row row = found.iterator().next();
          UUID id = row.getUUID("id");
          if ("finalized".equals(row.getString("status"))) {
            return Future.succeededFuture(id);
          }
          return conn.preparedQuery(BillingSql.DELETE_LINES).execute(Tuple.of(id))
            .compose(d -> lines(conn, id, draft))
            .compose(l -> conn.preparedQuery(BillingSql.UPDATE_INVOICE)
              .execute(Tuple.of(id, status, draft.currency(), draft.total())))
            .map(id);
        }
        UUID id = UUID.randomUUID();
        return conn.preparedQuery(BillingSql.INSERT_INVOICE).execute(Tuple.of(id, payer, "draft", start,
            period.end().atOffset(ZoneOffset.UTC), draft.currency(), draft.total()))
          .compose(i -> lines(conn, id, draft))
          .compose(l -> finalize ? conn.preparedQuery(BillingSql.UPDATE_INVOICE)
            .execute(Tuple.of(id, status, draft.currency(), draft.total())).mapEmpty() : Future.succeededFuture())
          .map(id);
      });
  }

  /** The lines go in while the invoice is still a draft: the trigger refuses lines of a finalized invoice. */
  private static Future<Void> lines(SqlConnection conn, UUID id, InvoiceCalculator.Draft draft) {
    int n = draft.lines().size();
    if (n == 0) {
      return Future.succeededFuture();
    }
    Integer[] positions = new Integer[n];
    UUID[] tenants = new UUID[n];
    String[] slugs = new String[n];
    String[] meters = new String[n];
    String[] descriptions = new String[n];
    Long[] quantities = new Long[n];
    Long[] prices = new Long[n];
    Long[] amounts = new Long[n];
    for (int i = 0; i < n; i++) {
      InvoiceLine line = draft.lines().get(i);
      positions[i] = i + 1;
      tenants[i] = line.tenantId();
      slugs[i] = line.tenant();
      meters[i] = line.meter();
      descriptions[i] = line.description();
      quantities[i] = line.quantity();
      prices[i] = line.unitPrice();
      amounts[i] = line.amount();
    }
    return conn.preparedQuery(BillingSql.INSERT_LINES).execute(Tuple.from(new Object[] {id, positions, tenants, slugs,
      meters, descriptions, quantities, prices, amounts})).mapEmpty();
  }

  public Future<List<Invoice>> list(UUID tenant, String slug) {
    return pool.preparedQuery(BillingSql.LIST_INVOICES).execute(Tuple.of(tenant)).map(rows -> {
      List<Invoice> out = new ArrayList<>();
      rows.forEach(row -> out.add(Invoice.from(row, slug, null)));
      return out;
    });
  }

  public Future<Invoice> get(UUID tenant, String slug, UUID id) {
    return pool.preparedQuery(BillingSql.GET_INVOICE).execute(Tuple.of(id, tenant)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(Problem.notFound("no invoice " + id + " of tenant '" + slug + "'"));
      }
      Row invoice = rows.iterator().next();
      return pool.preparedQuery(BillingSql.LINES).execute(Tuple.of(id)).map(lines -> {
        List<InvoiceLine> out = new ArrayList<>();
        lines.forEach(l -> out.add(new InvoiceLine(l.getUUID("tenant_id"), l.getString("tenant_slug"), l.getString("meter"),
          l.getString("description"), l.getLong("quantity"), l.getLong("unit_price"), l.getLong("amount"))));
        return Invoice.from(invoice, slug, out);
      });
    });
  }

  /** @throws Problem 409 unless the invoice is finalized and the amount within what is left to credit */
  public Future<Invoice> creditNote(UUID tenant, String slug, UUID invoiceId, long amount, String reason) {
    return get(tenant, slug, invoiceId).compose(invoice -> {
      if (!invoice.finalized() || !"invoice".equals(invoice.kind())) {
        return Future.failedFuture(Problem.conflict("only a finalized invoice can be credited; a draft is recomputed instead"));
      }
      UUID id = UUID.randomUUID();
      return pool.withTransaction(conn -> conn.preparedQuery(BillingSql.LOCK_INVOICE)
          .execute(Tuple.of(tenant, invoice.periodStart().atOffset(ZoneOffset.UTC)))
          .compose(l -> conn.preparedQuery(BillingSql.CREDITED).execute(Tuple.of(invoiceId)))
          .compose(credited -> {
            long left = invoice.total() - credited.iterator().next().getLong(0);
            if (amount > left) {
              return Future.failedFuture(Problem.conflict("at most " + left + " minor units of this invoice are left to credit"));
            }
            return conn.preparedQuery(BillingSql.INSERT_CREDIT_NOTE).execute(Tuple.of(id, -amount, reason, invoiceId))
              .compose(i -> conn.preparedQuery(BillingSql.INSERT_LINES).execute(Tuple.from(new Object[] {id,
                new Integer[] {1}, new UUID[] {tenant}, new String[] {slug}, new String[] {"credit"},
                new String[] {"credit of invoice " + invoiceId + ": " + reason}, new Long[] {1L}, new Long[] {-amount},
                new Long[] {-amount}})));
          }))
        .compose(done -> get(tenant, slug, id));
    });
  }

  /** Payers of a period: tenants that existed in it and pay for themselves. */
  Future<List<Tuple>> payers(BillingPeriod period) {
    return pool.preparedQuery(BillingSql.PAYERS).execute(Tuple.of(period.end().atOffset(ZoneOffset.UTC))).map(rows -> {
      List<Tuple> out = new ArrayList<>();
      rows.forEach(row -> out.add(Tuple.of(row.getUUID("id"), row.getString("slug"))));
      return out;
    });
  }

  static Instant now() {
    return Instant.now();
  }
}
