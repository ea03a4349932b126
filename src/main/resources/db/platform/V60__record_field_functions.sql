-- Leakproof field functions for the shared tier's records (shared.records); tenant V6 creates the same functions in
-- each schema-tier tenant's schema and each database-tier tenant's database. Used by declared indexes and the filters
-- on them (docs/records-api.md#indexes, docs/security/isolation.md#leakproof-field-functions).
--
-- Why: forced row-level security keeps
-- PostgreSQL from evaluating a non-leakproof condition ahead of the policy, so filters written with the jsonb
-- operators (not leakproof) could never be index conditions; these functions, used both in the declared indexes'
-- expressions and in the filters the query builder writes, can be. None of them can raise an error for any jsonb
-- document and path: a value that is not of the function's type is NULL, never an error that another tenant's row
-- could cause. PL/pgSQL, not SQL, so that the planner does not inline the body (which would lose the marking).

CREATE FUNCTION shared.record_text(data jsonb, path text[]) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  v jsonb := data #> path;
BEGIN
  IF jsonb_typeof(v) = 'string' THEN
    RETURN v #>> '{}';
  END IF;
  RETURN NULL;
END
$fn$;

-- A number's sort key: numeric -> float8, clamped so that the conversion cannot overflow or underflow (which
-- raises). Rounding to the nearest double and the clamps are monotonic (a <= b implies key(a) <= key(b)), so a
-- range or equality on the keys is implied by the exact one: the index narrows, the exact jsonb comparison decides.
CREATE FUNCTION shared.record_number_key(n numeric) RETURNS double precision
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
BEGIN
  IF n > 1e300 THEN
    RETURN 'Infinity'::double precision;
  ELSIF n < -1e300 THEN
    RETURN '-Infinity'::double precision;
  ELSIF n > -1e-300 AND n < 1e-300 THEN
    RETURN 0;
  END IF;
  RETURN n::double precision;
END
$fn$;

CREATE FUNCTION shared.record_number(data jsonb, path text[]) RETURNS double precision
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  v jsonb := data #> path;
BEGIN
  IF jsonb_typeof(v) = 'number' THEN
    RETURN shared.record_number_key(v::numeric);
  END IF;
  RETURN NULL;
END
$fn$;

-- An RFC 3339 timestamp held in a JSON string, checked field by field before it is converted (ASCII digits only,
-- a real calendar day, hours, minutes, seconds and an offset PostgreSQL accepts), so the conversion cannot fail; any
-- other value, 2026-02-30 included, is NULL. The text always carries its offset, so the result depends on neither
-- TimeZone nor DateStyle: the function is immutable in fact, as an index expression must be.
CREATE FUNCTION shared.record_time(data jsonb, path text[]) RETURNS timestamptz
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  v jsonb := data #> path;
  s text;
  y int;
  mo int;
  d int;
BEGIN
  IF jsonb_typeof(v) IS DISTINCT FROM 'string' THEN
    RETURN NULL;
  END IF;
  s := v #>> '{}';
  -- one boolean match (regexp_match, which builds an array, costs ten times as much per row), then fixed positions
  IF length(s) > 40 OR s !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$' THEN
    RETURN NULL;
  END IF;
  y := substr(s, 1, 4)::int;
  mo := substr(s, 6, 2)::int;
  d := substr(s, 9, 2)::int;
  IF y < 1 OR mo < 1 OR mo > 12 OR d < 1 OR substr(s, 12, 2)::int > 23 OR substr(s, 15, 2)::int > 59
     OR substr(s, 18, 2)::int > 59
     OR (right(s, 1) NOT IN ('Z', 'z') AND (substr(right(s, 5), 1, 2)::int > 15 OR right(s, 2)::int > 59))
     OR d > 28 AND d > (CASE WHEN mo = 2 THEN 28 + (CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 1 ELSE 0 END)
                             WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END) THEN
    RETURN NULL;
  END IF;
  RETURN s::timestamptz;
END
$fn$;

-- LEAKPROOF needs a superuser. The migration runs as the owner role (Flyway's initSql); when the session user is a
-- superuser it takes the functions over (so the owner role cannot replace their bodies) and marks them, then returns
-- to the owner role. Without a superuser (docs/operations.md) the functions stay plain: filters work the same, and
-- the data-field indexes are not used under row-level security.
DO $do$
DECLARE
  owner_role text := current_user;
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
    SET LOCAL ROLE NONE;
    ALTER FUNCTION shared.record_text(jsonb, text[]) OWNER TO SESSION_USER;
    ALTER FUNCTION shared.record_text(jsonb, text[]) LEAKPROOF;
    ALTER FUNCTION shared.record_number_key(numeric) OWNER TO SESSION_USER;
    ALTER FUNCTION shared.record_number_key(numeric) LEAKPROOF;
    ALTER FUNCTION shared.record_number(jsonb, text[]) OWNER TO SESSION_USER;
    ALTER FUNCTION shared.record_number(jsonb, text[]) LEAKPROOF;
    ALTER FUNCTION shared.record_time(jsonb, text[]) OWNER TO SESSION_USER;
    ALTER FUNCTION shared.record_time(jsonb, text[]) LEAKPROOF;
    EXECUTE format('SET LOCAL ROLE %I', owner_role);
  END IF;
END
$do$;

-- Declared indexes built before these functions existed have the sort index only; "typed" says whether the typed
-- indexes on the functions exist too. A node rebuilds the missing ones at start (IndexBuilder.resumeUnfinished) once
-- the tenant's records have the functions (shared tier: now; other tiers: from tenant migration V6).
ALTER TABLE platform.record_indexes ADD COLUMN typed boolean NOT NULL DEFAULT false;
