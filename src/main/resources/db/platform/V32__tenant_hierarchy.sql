-- The organization hierarchy: a tenant's parent, and its materialized path (the ids of its ancestors, root first),
-- so "all descendants of X" is one indexed query (path @> ARRAY[X], GIN) and "is X an ancestor of Y" is answered
-- from Y's cached row. A move rewrites the subtree's paths in one transaction (tenant.HierarchyStore).
-- A tenant with children cannot be deleted (RESTRICT; the API answers 409 before it gets here).
ALTER TABLE platform.tenants
  ADD COLUMN parent_id uuid REFERENCES platform.tenants (id) ON DELETE RESTRICT,
  ADD COLUMN path uuid[] NOT NULL DEFAULT '{}',
  ADD CONSTRAINT tenants_parent_not_self CHECK (parent_id IS NULL OR parent_id <> id),
  ADD CONSTRAINT tenants_path_ends_with_parent
    CHECK ((parent_id IS NULL AND cardinality(path) = 0) OR path[cardinality(path)] = parent_id);

CREATE INDEX tenants_parent_idx ON platform.tenants (parent_id, id) WHERE parent_id IS NOT NULL;
CREATE INDEX tenants_path_idx ON platform.tenants USING gin (path);
