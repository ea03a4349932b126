package io.tenantry.isolation;

/** The pooled-connection attacks with the transaction-local tenant context (db.tenant-context: transaction). */
class TransactionContextPooledConnectionAttacksTest extends PooledConnectionAttacksTest {
  @Override
  protected String tenantContext() {
    return "transaction";
  }
}
