#!/usr/bin/env bash
# Tremplin's production server beside Kolibri 0.19.5, under the same load, in one run (issue 15, docs/areas/load.md).
#
# Needs root (a network namespace), PostgreSQL on this machine (its Unix socket), wrk (apt-get install wrk), and
# Kolibri 0.19.5 installed beforehand in its own venv, outside the repository:
#   python3.11 -m venv /opt/kolibri-venv && /opt/kolibri-venv/bin/pip install kolibri==0.19.5
# Everything else happens without network: both servers and wrk run in a namespace that has only loopback; the
# scratch database (tremplin_load) and Kolibri's home (KOLIBRI_HOME) are created and provisioned on the first run.
#
#   sudo bench/load/run.sh                 # 20 s per measurement, 20 and 50 connections
#   LOAD_DURATION=30 sudo bench/load/run.sh
# Environment: LOAD_DURATION, LOAD_CONNECTIONS (20,50), LOAD_DB (tremplin_load), LOAD_NETNS (tremplin-load),
# KOLIBRI_VENV (/opt/kolibri-venv), KOLIBRI_HOME (/tmp/tremplin-load/kolibri-home), WEB_CONCURRENCY (the web
# server's workers; the Procfile's default otherwise), PGSOCKET (/var/run/postgresql).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
NS=${LOAD_NETNS:-tremplin-load}
DB=${LOAD_DB:-tremplin_load}
PGSOCKET=${PGSOCKET:-/var/run/postgresql}
SCRATCH=${LOAD_SCRATCH:-/tmp/tremplin-load}
KOLIBRI_VENV=${KOLIBRI_VENV:-/opt/kolibri-venv}
export KOLIBRI_HOME=${KOLIBRI_HOME:-$SCRATCH/kolibri-home}
KOLIBRI_PORT=8081
TREMPLIN_PORT=8000
KOLIBRI_PASSWORD=apprenant-charge-2026
PIN=2580
mkdir -p "$SCRATCH" "$KOLIBRI_HOME"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
[ -x "$KOLIBRI_VENV/bin/kolibri" ] || {
  echo "Kolibri is needed in its own venv: python3.11 -m venv $KOLIBRI_VENV && $KOLIBRI_VENV/bin/pip install kolibri==0.19.5" >&2
  exit 2; }
[ "$(id -u)" = 0 ] || { echo "run as root (network namespace)" >&2; exit 2; }

# A namespace with only loopback: nothing inside can reach the network.
ip netns list | grep -qw "$NS" || ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
IN_NS=(ip netns exec "$NS")

# --- Tremplin: PostgreSQL through its Unix socket (reachable from the namespace), production settings -------------
export DATABASE_URL="postgres://postgres@$(printf %s "$PGSOCKET" | sed 's|/|%2F|g')/$DB"
export DJANGO_SETTINGS_MODULE=config.settings.prod
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-load-run-$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)}
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false
export TREMPLIN_BIND=127.0.0.1:$TREMPLIN_PORT TREMPLIN_HOST=127.0.0.1 TREMPLIN_PORT
if ! psql -h "$PGSOCKET" -U postgres -Atc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
  echo "First run: database $DB with the curriculum and the demo network" >&2
  createdb -h "$PGSOCKET" -U postgres "$DB"
  "$PY" manage.py migrate --noinput -v0
  for step in load_geography load_content load_diagnostic load_simulators seed_demo "rollup_stats --all"; do
    # shellcheck disable=SC2086
    "$PY" manage.py $step >/dev/null
  done
fi
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
# The demo's first learner (Samia, with progress), with a known PIN hashed by the current hasher.
CODE=$("$PY" manage.py shell -v0 -c "
from tremplin.accounts.models import User
learner = User.objects.filter(kind='learner', is_guest=False, first_name='Samia').order_by('date_joined').first()
learner.set_password('$PIN'); learner.save(update_fields=['password']); print(learner.username)" | tail -1)

# --- Kolibri: its own venv and home, provisioned inside the namespace (no network) --------------------------------
# Kolibri must not see Tremplin's Django settings.
KOLIBRI=("${IN_NS[@]}" env -u DJANGO_SETTINGS_MODULE -u DATABASE_URL -u DJANGO_SECRET_KEY "$KOLIBRI_VENV/bin/kolibri")
if [ ! -f "$KOLIBRI_HOME/.provisioned" ]; then
  echo "First run: provisioning Kolibri in $KOLIBRI_HOME" >&2
  "${KOLIBRI[@]}" manage provisiondevice --facility "Charge" --superusername admin \
    --superuserpassword "admin-$KOLIBRI_PASSWORD" --preset nonformal --language_id fr-fr --no-input >/dev/null 2>&1
  "${KOLIBRI[@]}" manage --skip-update shell >/dev/null 2>&1 <<EOF
from kolibri.core.auth.models import Facility, FacilityUser
facility = Facility.objects.get(name="Charge")
user = FacilityUser(username="apprenant", full_name="Apprenant Charge", facility=facility)
user.set_password("$KOLIBRI_PASSWORD")
user.save()
EOF
  touch "$KOLIBRI_HOME/.provisioned"
fi
FACILITY=$("${KOLIBRI[@]}" manage --skip-update shell -c \
  "from kolibri.core.auth.models import Facility; print(Facility.objects.get(name='Charge').id)" 2>/dev/null | tail -1)

# --- both servers in the namespace --------------------------------------------------------------------------------
PIDS=()
stop() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

"${KOLIBRI[@]}" start --foreground --port "$KOLIBRI_PORT" >"$SCRATCH/kolibri.log" 2>&1 &
KOLIBRI_PID=$!
PIDS+=("$KOLIBRI_PID")
WEB=$(sed -n 's/^web: //p' Procfile 2>/dev/null || true)
if [ -n "$WEB" ]; then
  # The Procfile's web process, as `make prod` starts it (ADR 16).
  SERVER=(bash -c "exec $WEB")
  SERVER_NAME="the Procfile's web process ($(basename "${WEB%% *}"))"
  WORKERS=${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))}
else
  WORKERS=${WEB_CONCURRENCY:-2}
  SERVER=("$ROOT/.venv/bin/gunicorn" config.wsgi:application -w "$WORKERS" -b "$TREMPLIN_BIND")
  SERVER_NAME="gunicorn (sync)"
fi
"${IN_NS[@]}" "${SERVER[@]}" >"$SCRATCH/tremplin.log" 2>&1 &
TREMPLIN_PID=$!  # ip netns exec and bash exec the server: this is its main process
PIDS+=("$TREMPLIN_PID")

for url in "http://127.0.0.1:$TREMPLIN_PORT/connexion/" "http://127.0.0.1:$KOLIBRI_PORT/fr-fr/auth/"; do
  for _ in $(seq 120); do
    "${IN_NS[@]}" curl -fso /dev/null "$url" && break
    sleep 1
  done
  "${IN_NS[@]}" curl -fso /dev/null "$url" || { echo "no answer from $url (logs in $SCRATCH)" >&2; exit 1; }
done

echo "uptime: $(uptime)"
"${IN_NS[@]}" "$PY" bench/load/compare.py --tremplin "http://127.0.0.1:$TREMPLIN_PORT" --code "$CODE" --pin "$PIN" \
  --kolibri "http://127.0.0.1:$KOLIBRI_PORT" --kolibri-password "$KOLIBRI_PASSWORD" --kolibri-facility "$FACILITY" \
  --tremplin-pid "$TREMPLIN_PID" --kolibri-pid "$KOLIBRI_PID" --duration "${LOAD_DURATION:-20}" --connections "${LOAD_CONNECTIONS:-20,50}" \
  --note "Tremplin: $SERVER_NAME, $WORKERS workers, config.settings.prod, PostgreSQL $(psql -h "$PGSOCKET" -U postgres -Atc 'show server_version' | cut -d' ' -f1) on its Unix socket, commit $(git rev-parse --short HEAD). Kolibri $("$KOLIBRI_VENV/bin/python" -c 'import kolibri; print(kolibri.__version__)') (kolibri start: its own server), SQLite, no channel imported. Same namespace with only loopback."
echo "uptime: $(uptime)"
