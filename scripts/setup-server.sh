#!/usr/bin/env bash
# Prepares a VPS for berth, as root. Safe to run again: it only adds what is missing.
#   - installs git, Docker and Docker Compose from the distribution's packages when absent;
#   - creates the deploy user (in the docker group) and authorizes its public key;
#   - clones the app into --path as that user (a missing parent folder is created for root;
#     an existing one, such as /srv or /, is never changed);
#   - turns on sshd's client keepalive (ClientAliveInterval 5, ClientAliveCountMax 3), so a
#     runner that vanishes without closing its connection loses its session, and berth's
#     deploy lock with it, within a minute;
#   - prints the known-hosts lines and fingerprints to put in the workflow, read from this
#     server's own host keys (no ssh-keyscan over the network, so nothing can interpose).
#
# Usage: setup-server.sh --user deploy --repo https://github.com/acme/shop.git --path /srv/shop \
#          [--public-key "ssh-ed25519 AAAA… ci@acme"] [--host app.example.com] [--port 22] [--no-install]
#          [--sshd-config /etc/ssh/sshd_config]
set -euo pipefail

user='' repo='' path='' public_key='' host=$(hostname -f 2>/dev/null || hostname) port=22 install=1
sshd_config=/etc/ssh/sshd_config
die() { echo "setup-server.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --user) user=${2:?}; shift 2 ;;
    --repo) repo=${2:?}; shift 2 ;;
    --path) path=${2:?}; shift 2 ;;
    --public-key) public_key=${2:?}; shift 2 ;;
    --host) host=${2:?}; shift 2 ;;
    --port) port=${2:?}; shift 2 ;;
    --no-install) install=0; shift ;;
    --sshd-config) sshd_config=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "run as root (it creates a user and installs packages)"
[[ $user =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || die "--user: a Unix user name such as deploy"
[ -n "$repo" ] || die "--repo is required"
[[ $path == /* ]] || die "--path: an absolute path such as /srv/app"
[[ $port =~ ^[0-9]+$ ]] || die "--port: a number"
if [ -n "$public_key" ]; then
  [[ $public_key =~ ^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521))\ [A-Za-z0-9+/=]+(\ .*)?$ ]] || die "--public-key: one OpenSSH public key line"
fi

missing=()
command -v git >/dev/null || missing+=(git)
command -v docker >/dev/null || missing+=(docker.io)
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$install" -eq 1 ] && command -v apt-get >/dev/null; then
    echo "setup-server.sh: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  else
    die "install ${missing[*]} first (apt-get install -y ${missing[*]})"
  fi
fi

if ! id "$user" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash "$user"
  echo "setup-server.sh: created user $user"
fi
# A locked account ('!' in shadow) cannot log in with a key either: unlock it without a password.
if passwd -S "$user" 2>/dev/null | grep -q ' L '; then usermod -p '*' "$user"; fi
getent group docker >/dev/null && usermod -aG docker "$user"
home=$(getent passwd "$user" | cut -d: -f6)
if [ -n "$public_key" ]; then
  install -d -m 700 -o "$user" -g "$(id -gn "$user")" "$home/.ssh"
  touch "$home/.ssh/authorized_keys"
  grep -qxF -- "$public_key" "$home/.ssh/authorized_keys" || echo "$public_key" >> "$home/.ssh/authorized_keys"
  chown "$user:$(id -gn "$user")" "$home/.ssh/authorized_keys"
  chmod 600 "$home/.ssh/authorized_keys"
fi

if [ ! -d "$path/.git" ]; then
  # The parent (/srv, or / for --path /app) stays as it is: handing it to the deploy user, or
  # resetting its mode, could lock every other user out of sshd (StrictModes checks it).
  parent=$(dirname "$path")
  [ -d "$parent" ] || install -d -m 755 "$parent"
  install -d -o "$user" -g "$(id -gn "$user")" "$path"
  runuser -u "$user" -- git clone --quiet -- "$repo" "$path"
  echo "setup-server.sh: cloned $repo into $path"
fi

# sshd notices a client that vanished without closing its connection (a runner that lost its
# network or was killed with its VM) only through keepalives: without them the session, and
# the deploy lock its command holds, can live for hours. sshd's manual says a client goes after
# Interval × CountMax unanswered seconds; OpenSSH 9.2 (Debian 12) was measured taking about
# 2 × Interval × (CountMax + 1): 40 s here. Either way, gone within a minute.
keepalive=$'ClientAliveInterval 5\nClientAliveCountMax 3'
sshd_value() { "$sshd" -T -f "$sshd_config" 2>/dev/null | awk -v k="$1" '$1 == k { print $2; exit }'; }
keepalive_ok() {
  local interval count
  interval=$(sshd_value clientaliveinterval) count=$(sshd_value clientalivecountmax)
  [[ $interval =~ ^[0-9]+$ && $count =~ ^[0-9]+$ ]] && [ "$interval" -gt 0 ] && [ $((2 * interval * (count + 1))) -le 60 ]
}
sshd=$(command -v sshd || echo /usr/sbin/sshd)
if [ ! -x "$sshd" ] || [ ! -f "$sshd_config" ] || ! "$sshd" -t -f "$sshd_config" 2>/dev/null; then
  echo "setup-server.sh: cannot check sshd's config at $sshd_config: set '${keepalive//$'\n'/' and '}' in sshd's config yourself" >&2
elif ! keepalive_ok; then
  dropin_dir="$sshd_config.d"
  if grep -Eqi "^[[:space:]]*Include[[:space:]]+$dropin_dir/\*\.conf" "$sshd_config"; then
    # A drop-in, read before the main file's own lines; sshd takes the first value it reads.
    changed="$dropin_dir/10-berth-client-alive.conf"
    install -d -m 755 "$dropin_dir"
    printf '# Written by berth setup-server.sh: a vanished client loses its session within a minute.\n%s\n' "$keepalive" > "$changed"
  else
    # At the top: before any Match block, and first, so it is the value sshd takes.
    changed="$sshd_config"
    cp -p -- "$sshd_config" "$sshd_config.berth-backup"
    { printf '# Added by berth setup-server.sh: a vanished client loses its session within a minute.\n%s\n\n' "$keepalive"
      cat -- "$sshd_config.berth-backup"; } > "$sshd_config"
  fi
  if ! "$sshd" -t -f "$sshd_config"; then
    if [ "$changed" = "$sshd_config" ]; then mv -f -- "$sshd_config.berth-backup" "$sshd_config"; else rm -f -- "$changed"; fi
    die "sshd rejected the keepalive settings; $sshd_config is as it was"
  fi
  rm -f -- "$sshd_config.berth-backup"
  if keepalive_ok; then
    echo "setup-server.sh: sshd client keepalive on (${keepalive//$'\n'/, }) in $changed"
  else
    echo "setup-server.sh: an earlier ClientAliveInterval or ClientAliveCountMax in sshd's config wins over $changed: set them to 5 and 3 there" >&2
  fi
  if [ "$sshd_config" = /etc/ssh/sshd_config ]; then
    systemctl reload ssh 2>/dev/null || systemctl reload sshd 2>/dev/null || service ssh reload 2>/dev/null ||
      echo "setup-server.sh: reload sshd to apply it (systemctl reload ssh)" >&2
  fi
fi

name=$host
[ "$port" = 22 ] || name="[$host]:$port"
echo
echo "known-hosts (store as a variable or secret, e.g. DEPLOY_KNOWN_HOSTS):"
for key in /etc/ssh/ssh_host_*_key.pub; do
  [ -f "$key" ] && echo "$name $(cut -d' ' -f1,2 < "$key")"
done
echo
echo "host fingerprints (the alternative host-fingerprint input):"
for key in /etc/ssh/ssh_host_*_key.pub; do
  [ -f "$key" ] && ssh-keygen -lf "$key" | awk '{print "  " $2 "  " $NF}'
done
echo
echo "berth inputs: host: $host  port: $port  username: $user  path: $path"
