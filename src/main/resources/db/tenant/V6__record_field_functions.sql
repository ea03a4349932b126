-- Leakproof field functions beside the tenant's records (platform V60 creates them for shared.records): used by
-- declared indexes and the filters on them (docs/records-api.md#indexes,
-- docs/security/isolation.md#leakproof-field-functions).
--
-- Why: forced row-level security keeps
-- PostgreSQL from evaluating a non-leakproof condition ahead of the policy, so filters written with the jsonb
-- operators (not leakproof) could never be index conditions; these functions, used both in the declared indexes'
-- expressions and in the filters the query builder writes, can be. None of them can raise an error for any jsonb
-- document and path: a value that is not of the function's type is NULL, never an error that another tenant's row
-- could cause. PL/pgSQL, not SQL, so that the planner does not inline the body (which would lose the marking).

CREATE FUNCTION ${schema}.record_text(data jsonb, path text[]) RETURNS text
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
CREATE FUNCTION ${schema}.record_number_key(n numeric) RETURNS double precision
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

CREATE FUNCTION ${schema}.record_number(data jsonb, path text[]) RETURNS double precision
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  v jsonb := data #> path;
BEGIN
  IF jsonb_typeof(v) = 'number' THEN
    RETURN ${schema}.record_number_key(v::numeric);
  END IF;
  RETURN NULL;
END
$fn$;

-- An RFC 3339 timestamp held in a JSON string, checked field by field before it is converted (ASCII digits only,
-- a real calendar day, hours, minutes, seconds and an offset PostgreSQL accepts), so the conversion cannot fail; any
-- other value, 2026-02-30 included, is NULL. The text always carries its offset, so the result depends on neither
-- TimeZone nor DateStyle: the function is immutable in fact, as an index expression must be.
CREATE FUNCTION ${schema}.record_time(data jsonb, path text[]) RETURNS timestamptz
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  v jsonb := data #> path;
  s text;
  m text[];
  y int;
  mo int;
  d int;
  last_day int;
BEGIN
  IF jsonb_typeof(v) IS DISTINCT FROM 'string' THEN
    RETURN NULL;
  END IF;
  s := v #>> '{}';
  IF length(s) > 40 THEN
    RETURN NULL;
  END IF;
  m := regexp_match(s, '^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?([Zz]|[+-]([0-9]{2}):([0-9]{2}))$');
  IF m IS NULL THEN
    RETURN NULL;
  END IF;
  y := m[1]::int;
  mo := m[2]::int;
  d := m[3]::int;
  last_day := CASE WHEN mo = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
                   WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END;
  IF y < 1 OR mo < 1 OR mo > 12 OR d < 1 OR m[4]::int > 23 OR m[5]::int > 59 OR m[6]::int > 59
     OR coalesce(m[9]::int, 0) > 15 OR coalesce(m[10]::int, 0) > 59 OR d > last_day THEN
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
    ALTER FUNCTION ${schema}.record_text(jsonb, text[]) OWNER TO SESSION_USER;
    ALTER FUNCTION ${schema}.record_text(jsonb, text[]) LEAKPROOF;
    ALTER FUNCTION ${schema}.record_number_key(numeric) OWNER TO SESSION_USER;
    ALTER FUNCTION ${schema}.record_number_key(numeric) LEAKPROOF;
    ALTER FUNCTION ${schema}.record_number(jsonb, text[]) OWNER TO SESSION_USER;
    ALTER FUNCTION ${schema}.record_number(jsonb, text[]) LEAKPROOF;
    ALTER FUNCTION ${schema}.record_time(jsonb, text[]) OWNER TO SESSION_USER;
    ALTER FUNCTION ${schema}.record_time(jsonb, text[]) LEAKPROOF;
    EXECUTE format('SET LOCAL ROLE %I', owner_role);
  END IF;
END
$do$;
