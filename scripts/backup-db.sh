#!/usr/bin/env bash
# The companion server's backup, for teams that use cron instead:
#   pg_dump | gzip into DIR/NAME_YYYYmmdd-HHMMSS.sql.gz (UTC), written under a temporary name,
#   fsynced and renamed only when pg_dump and gzip both succeeded; a .sha256 file beside it;
#   then retention: files older than --keep-days go, but never the newest --keep-min.
#
# Usage:
#   backup-db.sh --name app --dir /var/backups/app --database-url postgres://user:pass@host:5432/db
#   backup-db.sh --name app --dir /var/backups/app --compose-path /srv/app --service db --database app --user app
#   options: --keep-days 30 --keep-min 3
# The password is passed to pg_dump in PGPASSWORD, never on its command line.
set -euo pipefail

name='' dir='' url='' compose_path='' service='' database='' user='' keep_days=30 keep_min=3
die() { echo "backup-db.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name=${2:?}; shift 2 ;;
    --dir) dir=${2:?}; shift 2 ;;
    --database-url) url=${2:?}; shift 2 ;;
    --compose-path) compose_path=${2:?}; shift 2 ;;
    --service) service=${2:?}; shift 2 ;;
    --database) database=${2:?}; shift 2 ;;
    --user) user=${2:?}; shift 2 ;;
    --keep-days) keep_days=${2:?}; shift 2 ;;
    --keep-min) keep_min=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ $name =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || die "--name: use letters, digits, '.', '_' and '-'"
[ -n "$dir" ] || die "--dir is required"
[[ $keep_days =~ ^[0-9]+$ && $keep_min =~ ^[0-9]+$ ]] || die "--keep-days and --keep-min take whole numbers"
if [ -n "$url" ]; then
  [ -z "$compose_path" ] || die "give --database-url or --compose-path, not both"
  # Move the password out of the URL into PGPASSWORD.
  if [[ $url =~ ^(postgres(ql)?://[^:/@]*):([^@]*)@(.*)$ ]]; then
    pw=${BASH_REMATCH[3]}
    export PGPASSWORD
    PGPASSWORD=$(printf '%b' "${pw//%/\\x}")
    url="${BASH_REMATCH[1]}@${BASH_REMATCH[4]}"
  fi
  dump=(pg_dump --no-password --format=plain --no-owner "--dbname=$url")
elif [ -n "$compose_path" ]; then
  [ -n "$service" ] && [ -n "$database" ] && [ -n "$user" ] || die "--compose-path needs --service, --database and --user"
  if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
  cd "$compose_path"
  dump=("${compose[@]}" exec -T "$service" pg_dump --no-password --format=plain --no-owner --username "$user" --dbname "$database")
else
  die "give --database-url, or --compose-path with --service, --database and --user"
fi

mkdir -p -- "$dir"
[ -w "$dir" ] || { echo "backup-db.sh: the backup folder $dir is not writable" >&2; exit 1; }
stamp=$(date -u +%Y%m%d-%H%M%S)
final="$dir/${name}_$stamp.sql.gz"
partial="$dir/.${name}_$stamp.sql.gz.partial"
trap 'rm -f -- "$partial"' EXIT
started=$(date +%s)
if ! "${dump[@]}" | gzip > "$partial"; then
  echo "backup-db.sh: backup '$name' failed: pg_dump or gzip failed (see above); no file was left" >&2
  exit 1
fi
sync -- "$partial"
mv -f -- "$partial" "$final"
sync -- "$dir"
trap - EXIT
(cd -- "$dir" && sha256sum -- "${final##*/}" > "${final##*/}.sha256")
echo "backup-db.sh: $final ($(stat -c %s -- "$final") bytes, $(( $(date +%s) - started ))s)"

# Retention: newest first by the time in the name; the newest keep-min (at least 1) always stay.
cutoff=$(date -u -d "-$keep_days days" +%Y%m%d-%H%M%S)
keep=$(( keep_min > 0 ? keep_min : 1 ))
i=0
while IFS= read -r file; do
  i=$((i + 1))
  [ "$i" -le "$keep" ] && continue
  base=${file##*/}; when=${base#"${name}_"}; when=${when%.sql.gz}
  if [[ $when < $cutoff ]]; then
    rm -f -- "$file" "$file.sha256"
    echo "backup-db.sh: retention removed $file"
  fi
done < <(find "$dir" -maxdepth 1 -type f -name "${name}_????????-??????.sql.gz" | sort -r)
