#!/usr/bin/env bash
# Restores a backup made by berth (server or backup-db.sh) into a PostgreSQL database:
#   checks the file against its .sha256, refuses a database that is not empty unless --clean,
#   and cleans and restores in one transaction, so a failed restore leaves the target as it was.
#
# Usage: restore-db.sh FILE.sql.gz --database-url postgres://user:pass@host:5432/db [--clean]
set -euo pipefail

file='' url='' clean=0
die() { echo "restore-db.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --database-url) url=${2:?}; shift 2 ;;
    --clean) clean=1; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    -*) die "unknown option '$1'" ;;
    *) [ -z "$file" ] || die "give one file"; file=$1; shift ;;
  esac
done
[ -f "$file" ] || die "no backup file '$file'"
[ -n "$url" ] || die "--database-url is required"
if [[ $url =~ ^(postgres(ql)?://[^:/@]*):([^@]*)@(.*)$ ]]; then
  pw=${BASH_REMATCH[3]}
  export PGPASSWORD
  PGPASSWORD=$(printf '%b' "${pw//%/\\x}")
  url="${BASH_REMATCH[1]}@${BASH_REMATCH[4]}"
fi

if [ -f "$file.sha256" ]; then
  expected=$(cut -d' ' -f1 < "$file.sha256")
  actual=$(sha256sum -- "$file" | cut -d' ' -f1)
  if [ "$expected" != "$actual" ]; then
    echo "restore-db.sh: $file does not match its .sha256 (sha256 $actual, expected $expected); nothing was restored" >&2
    exit 1
  fi
fi
gzip -t -- "$file" || { echo "restore-db.sh: $file is not a valid gzip file; nothing was restored" >&2; exit 1; }

psql_=(psql --no-password --no-psqlrc --quiet "--dbname=$url")
objects=$("${psql_[@]}" -tA -c "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')) + (SELECT count(*) FROM pg_largeobject_metadata)")
if [ "$objects" -gt 0 ] && [ "$clean" -eq 0 ]; then
  echo "restore-db.sh: the target database is not empty ($objects objects); nothing was restored. Use a new database, or --clean." >&2
  exit 1
fi
{
  if [ "$objects" -gt 0 ]; then
    cat <<'SQL'
DO $berth$ DECLARE s name; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
  PERFORM lo_unlink(oid) FROM pg_largeobject_metadata;
  CREATE SCHEMA public;
END $berth$;
SQL
  fi
  gunzip -c -- "$file"
} | "${psql_[@]}" --set ON_ERROR_STOP=1 --single-transaction >/dev/null
echo "restore-db.sh: restored $file"
