-- Tenant search (GET /admin/v1/tenants filters, GET /admin/v1/tenant-overview). A page is read in id order, so each
-- equality filter's index carries id too: a rare state (suspended, deleted) or a small plan is found without
-- walking every tenant. Parent already has tenants_parent_idx (parent_id, id).
CREATE INDEX tenants_status_id_idx ON platform.tenants (status, id);
CREATE INDEX tenants_isolation_id_idx ON platform.tenants (isolation, id);
CREATE INDEX tenants_plan_id_idx ON platform.tenants (plan, id);
CREATE INDEX tenants_created_at_idx ON platform.tenants (created_at);
-- q is a case-insensitive prefix of the slug (always lower case) or the name: LIKE 'prefix%' needs pattern ops
-- whatever the database's collation.
CREATE INDEX tenants_slug_prefix_idx ON platform.tenants (slug text_pattern_ops);
CREATE INDEX tenants_name_prefix_idx ON platform.tenants (lower(name) text_pattern_ops);
