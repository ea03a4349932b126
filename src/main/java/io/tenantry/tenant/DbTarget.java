package io.tenantry.tenant;

/** The PostgreSQL database holding a database-tier tenant's data. */
public record DbTarget(String host, int port, String database) {
}
