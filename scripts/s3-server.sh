#!/usr/bin/env bash
# A real S3 server on 127.0.0.1 for tests and benchmarks: a single-node Ceph cluster (one
# monitor, one memstore OSD, no manager) and one RADOS Gateway, all bound to loopback and all
# state in $S3_SERVER_DIR (default: ${TMPDIR:-/tmp}/deltawarm-s3-server). Data lives in RAM
# and is gone after `stop`. See ../shared/S3-TEST-SERVER.md for why each setting is here.
#
#   scripts/s3-server.sh start          # cluster + gateway + one S3 user with fresh keys
#   scripts/s3-server.sh env            # KEY=VALUE lines to source (also $S3_SERVER_DIR/env.json)
#   scripts/s3-server.sh gateway-stop   # stop only the gateway: the store "goes down", data kept
#   scripts/s3-server.sh gateway-start  # bring the gateway back
#   scripts/s3-server.sh stop           # stop everything and remove the state directory
#
# Ports come from S3_SERVER_PORT (gateway) and S3_MON_PORT, else free ones are picked.
# Creates no bucket: tests create what they need.
set -euo pipefail

DIR="${S3_SERVER_DIR:-${TMPDIR:-/tmp}/deltawarm-s3-server}"
CONF="$DIR/ceph.conf"
ADMIN=(ceph --conf "$CONF" --connect-timeout 10)

die() { echo "s3-server: $*" >&2; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if port_free "$port"; then echo "$port"; return; fi
  done
  die "no free port found"
}

# wait_for SECONDS DESCRIPTION COMMAND...: retries COMMAND every 0.1 s until it succeeds.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${seconds}s waiting for $what (logs in $DIR/log)"
    sleep 0.1
  done
}

# run_daemon NAME COMMAND...: runs a daemon in the foreground in its own session, records its PID.
run_daemon() {
  local name=$1; shift
  setsid "$@" -f >"$DIR/log/$name.out" 2>&1 </dev/null &
  echo $! >"$DIR/pid/$name"
}

# stop_daemon NAME: TERM, then KILL if it is still there after 5 s.
stop_daemon() {
  local file="$DIR/pid/$1" pid
  [[ -f $file ]] || return 0
  pid=$(<"$file")
  rm -f "$file"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do alive "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# A zombie (state Z) has exited: PID 1 may reap it late.
alive() { [[ -r /proc/$1/stat && $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

gateway_answers() { curl -fsS -o /dev/null "http://127.0.0.1:$(<"$DIR/rgw-port")/"; }

write_conf() {
  local mon_port=$1 rgw_port=$2 fsid=$3
  cat >"$CONF" <<EOF
[global]
fsid = $fsid
mon initial members = a
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $DIR/keyring/\$name.keyring
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
pid file = $DIR/run/\$name.pid
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
paxos propose interval = 0.05
paxos min wait = 0.01

[mon.a]
mon data = $DIR/mon

[osd.0]
osd data = $DIR/osd
osd objectstore = memstore
memstore device bytes = 2147483648

[client.rgw.0]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $DIR/rgw
EOF
}

make_keyrings() {
  local k="$DIR/keyring"
  ceph-authtool --create-keyring "$k/mon..keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$k/client.admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$k/mon..keyring" --import-keyring "$k/client.admin.keyring" >/dev/null
}

start_mon() {
  local mon_port=$1 fsid=$2
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$DIR/monmap" >/dev/null
  ceph-mon --conf "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring/mon..keyring" \
    >"$DIR/log/mon-mkfs.out" 2>&1 || die "ceph-mon --mkfs failed: $(tail -1 "$DIR/log/mon-mkfs.out")"
  run_daemon mon ceph-mon --conf "$CONF" -i a
  wait_for 30 "the monitor" "${ADMIN[@]}" mon stat
}

start_osd() {
  local uuid secret
  uuid=$(cat /proc/sys/kernel/random/uuid)
  secret=$(ceph-authtool --gen-print-key)
  printf '{"cephx_secret": "%s"}' "$secret" >"$DIR/osd-secret.json"
  "${ADMIN[@]}" osd new "$uuid" -i "$DIR/osd-secret.json" >/dev/null
  ceph-authtool --create-keyring "$DIR/keyring/osd.0.keyring" -n osd.0 --add-key "$secret" >/dev/null
  mkdir -p "$DIR/osd"
  ceph-osd --conf "$CONF" -i 0 --mkfs --osd-uuid "$uuid" >"$DIR/log/osd-mkfs.out" 2>&1 \
    || die "ceph-osd --mkfs failed: $(tail -1 "$DIR/log/osd-mkfs.out")"
  run_daemon osd ceph-osd --conf "$CONF" -i 0
  wait_for 30 "the OSD to come up" osd_up
}

osd_up() { "${ADMIN[@]}" osd dump | grep -q '^osd\.0 up'; }

make_rgw_pools() {
  local pool
  for pool in .rgw.root default.rgw.log default.rgw.control default.rgw.meta \
    default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec; do
    "${ADMIN[@]}" osd pool create "$pool" 8 8 >/dev/null 2>&1
    "${ADMIN[@]}" osd pool application enable "$pool" rgw >/dev/null 2>&1
  done
}

start_gateway() {
  [[ -f "$DIR/rgw-port" ]] || die "not started (no $DIR/rgw-port)"
  run_daemon rgw radosgw --conf "$CONF" -n client.rgw.0
  wait_for 60 "the gateway to answer HTTP" gateway_answers
}

random_token() { head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }

make_user() {
  local access secret
  access=$(random_token 20)
  secret=$(random_token 40)
  radosgw-admin --conf "$CONF" -n client.admin user create --uid=deltawarm-test \
    --display-name="deltawarm test" --access-key="$access" --secret-key="$secret" >/dev/null
  local endpoint="http://127.0.0.1:$(<"$DIR/rgw-port")"
  printf 'S3_ENDPOINT=%s\nAWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nAWS_REGION=us-east-1\n' \
    "$endpoint" "$access" "$secret" >"$DIR/env"
  printf '{"endpoint":"%s","accessKeyId":"%s","secretAccessKey":"%s","region":"us-east-1","dir":"%s"}\n' \
    "$endpoint" "$access" "$secret" "$DIR" >"$DIR/env.json"
  chmod 600 "$DIR/env" "$DIR/env.json"
}

start() {
  for tool in ceph ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph-authtool curl; do
    command -v "$tool" >/dev/null || die "$tool not found: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd curl"
  done
  [[ ! -f "$DIR/pid/mon" ]] || die "already running in $DIR (run stop first)"
  local mon_port=${S3_MON_PORT:-$(pick_port)} rgw_port=${S3_SERVER_PORT:-$(pick_port)}
  mkdir -p "$DIR"/{keyring,log,pid,run,mon,rgw}
  chmod 700 "$DIR"
  echo "$rgw_port" >"$DIR/rgw-port"
  write_conf "$mon_port" "$rgw_port" "$(cat /proc/sys/kernel/random/uuid)"
  make_keyrings
  start_mon "$mon_port" "$(awk '/^fsid/ {print $3}' "$CONF")"
  start_osd
  make_rgw_pools
  "${ADMIN[@]}" auth get-or-create client.rgw.0 mon 'allow rw' osd 'allow rwx' \
    -o "$DIR/keyring/client.rgw.0.keyring" >/dev/null
  start_gateway
  make_user
  echo "s3-server: up at http://127.0.0.1:$rgw_port (state in $DIR, keys in $DIR/env.json)" >&2
}

stop() {
  stop_daemon rgw && stop_daemon osd && stop_daemon mon
  case "$DIR" in /tmp/*|"${TMPDIR:-/tmp}"/*) rm -rf "$DIR" ;; *) echo "s3-server: left $DIR in place" >&2 ;; esac
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) cat "$DIR/env" 2>/dev/null || die "not running (no $DIR/env)" ;;
  gateway-stop) stop_daemon rgw ;;
  gateway-start) start_gateway ;;
  *) echo "usage: $0 start|stop|env|gateway-stop|gateway-start" >&2; exit 2 ;;
esac
