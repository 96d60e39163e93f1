#!/usr/bin/env bash
# Builds the PostgreSQL image the psa-eval tests start through Testcontainers, without any
# container registry: a Debian bookworm root made with debootstrap, PostgreSQL from Debian's
# apt repository, turned into an image with `docker import`. Idempotent: installs only what is
# missing, starts dockerd only when no daemon answers, builds only when the image is absent.
#
#   .ci/postgres-image.sh            # builds psa-postgres:15 (about 2-4 minutes the first time)
#   PSA_POSTGRES_IMAGE=name:tag .ci/postgres-image.sh
#
# Environment: PSA_POSTGRES_IMAGE (image name, default psa-postgres:15), PSA_DEBIAN_MIRROR
# (default http://deb.debian.org/debian), PSA_POSTGRES_REBUILD=1 (rebuild even if present).
# The image behaves like the official `postgres` image for Testcontainers: it reads
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, accepts `postgres -c ...` as command, logs
# "database system is ready to accept connections" twice (init server, then the real one) and
# trusts every TCP client (the bridge network's addresses are not known in advance).
set -euo pipefail

IMAGE="${PSA_POSTGRES_IMAGE:-psa-postgres:15}"
MIRROR="${PSA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
log() { echo "[postgres-image $(( $(date +%s) - start ))s] $*" >&2; }

if [ "$(id -u)" != 0 ]; then
  echo "postgres-image.sh: must run as root (installs packages, starts dockerd, uses chroot)" >&2
  exit 1
fi

# 1. Tools.
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Docker daemon (service start is blocked by policy-rc.d in these containers: start it by hand).
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/dockerd.log)"
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    if [ -S /var/run/docker.sock ] && docker info >/dev/null 2>&1; then break; fi
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "postgres-image.sh: dockerd did not come up within 60 s; last lines of /var/log/dockerd.log:" >&2
    tail -n 30 /var/log/dockerd.log >&2 || true
    exit 1
  fi
fi
log "docker daemon up ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"

# 3. Image.
if [ "${PSA_POSTGRES_REBUILD:-0}" != 1 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "image $IMAGE already present"
  exit 0
fi

old_id=$(docker image inspect "$IMAGE" --format '{{.Id}}' 2>/dev/null || true)
ROOT=$(mktemp -d /var/tmp/psa-postgres-root.XXXXXX)
chmod 755 "$ROOT"   # becomes the image's "/": mktemp's 0700 would lock the postgres user out
cleanup() {
  umount "$ROOT/proc" 2>/dev/null || true
  rm -rf --one-file-system "$ROOT"
}
trap cleanup EXIT

log "debootstrap --variant=minbase bookworm ($MIRROR)"
debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >/var/log/psa-postgres-debootstrap.log 2>&1 || {
  tail -n 30 /var/log/psa-postgres-debootstrap.log >&2; exit 1; }

# No service starts inside the chroot, and no default cluster (the entrypoint makes its own).
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod +x "$ROOT/usr/sbin/policy-rc.d"
mkdir -p "$ROOT/etc/postgresql-common"
echo "create_main_cluster = false" >"$ROOT/etc/postgresql-common/createcluster.conf"
mount -t proc proc "$ROOT/proc"

log "chroot apt-get install postgresql"
chroot "$ROOT" /bin/sh -c 'export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq &&
  apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold postgresql >/dev/null &&
  apt-get clean && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /usr/share/locale/*' \
  >/var/log/psa-postgres-chroot.log 2>&1 || {
  tail -n 30 /var/log/psa-postgres-chroot.log >&2
  echo "postgres-image.sh: apt-get install postgresql in the chroot failed" >&2; exit 1; }
umount "$ROOT/proc"
rm -f "$ROOT/usr/sbin/policy-rc.d"

cat >"$ROOT/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
# psa-postgres entrypoint: initdb on first start (user/db from POSTGRES_USER / POSTGRES_DB,
# trust authentication for every client), then runs postgres on 0.0.0.0:5432.
set -e
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PATH="$bindir:$PATH"
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
case "$1" in -*) set -- postgres "$@" ;; esac
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  pw=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-postgres}" >"$pw"
  # --no-sync: a test image; a crash during the first start just means starting a fresh container
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pw" --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
  rm -f "$pw"
  echo "host all all 0.0.0.0/0 trust" >>"$PGDATA/pg_hba.conf"
  echo "host all all ::/0 trust" >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -k /tmp" -w start
  if [ "$POSTGRES_DB" != postgres ]; then
    createdb -h /tmp -U "$POSTGRES_USER" "$POSTGRES_DB"
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop
fi
if [ "$1" = postgres ]; then
  shift
  exec postgres -D "$PGDATA" -k /tmp -c listen_addresses='*' -p 5432 "$@"
fi
exec "$@"
EOF
chmod 755 "$ROOT/usr/local/bin/docker-entrypoint.sh"
mkdir -p "$ROOT/var/lib/postgresql/data"
chroot "$ROOT" chown -R postgres:postgres /var/lib/postgresql

log "docker import -> $IMAGE"
tar -C "$ROOT" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV PGDATA=/var/lib/postgresql/data' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'USER postgres' \
  --change 'EXPOSE 5432' \
  --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
  --change 'CMD ["postgres"]' \
  - "$IMAGE" >/dev/null
new_id=$(docker image inspect "$IMAGE" --format '{{.Id}}')
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  docker rmi "$old_id" >/dev/null 2>&1 || true   # the replaced build, now untagged
fi
log "built $IMAGE ($(docker image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'))"
