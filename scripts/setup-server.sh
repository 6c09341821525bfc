#!/usr/bin/env bash
# Prepares a VPS for berth, as root. Safe to run again: it only adds what is missing.
#   - installs git, Docker and Docker Compose from the distribution's packages when absent;
#   - creates the deploy user (in the docker group) and authorizes its public key;
#   - clones the app into --path as that user;
#   - prints the known-hosts lines and fingerprints to put in the workflow, read from this
#     server's own host keys (no ssh-keyscan over the network, so nothing can interpose).
#
# Usage: setup-server.sh --user deploy --repo https://github.com/acme/shop.git --path /srv/shop \
#          [--public-key "ssh-ed25519 AAAA… ci@acme"] [--host app.example.com] [--port 22] [--no-install]
set -euo pipefail

user='' repo='' path='' public_key='' host=$(hostname -f 2>/dev/null || hostname) port=22 install=1
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
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
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
  install -d -o "$user" -g "$(id -gn "$user")" "$(dirname "$path")" 2>/dev/null || true
  install -d -o "$user" -g "$(id -gn "$user")" "$path"
  runuser -u "$user" -- git clone --quiet -- "$repo" "$path"
  echo "setup-server.sh: cloned $repo into $path"
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
