#!/usr/bin/env bash
# Local stand-ins for the AWS services the bushfire job talks to, on 127.0.0.1 only:
#   kinesis        kinesis-local (npm, the kinesis-mock emulator compiled for Node)
#   sns            fauxqs (npm): SNS + SQS (+ S3) on one port
#   elasticsearch  Elasticsearch 7.17 (Elastic's minimal zip from Maven Central)
#   elasticsearch-secure  optional: a second node of the same install with security on (https, passwords)
# Run `scripts/services.sh --help` for usage.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
HELPER_DIR="$SCRIPT_DIR/services"

CACHE_DIR="${BUSHFIRE_SERVICES_CACHE:-$REPO_ROOT/.cache/services}"
RUN_DIR="$CACHE_DIR/run"
LOG_DIR="$CACHE_DIR/logs"
NPM_DIR="$CACHE_DIR/npm"
ES_VERSION="7.17.29"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
ES_HOME="$CACHE_DIR/elasticsearch-$ES_VERSION"
ES_UID=65534 # nobody: Elasticsearch refuses to run as root
# The secured node runs from the same install with its own config, keystore, data and logs in ES_SECURE_DIR.
ES_SECURE_DIR="$CACHE_DIR/elasticsearch-secure"
ES_SECURE_CA="$ES_SECURE_DIR/ca.pem"
ES_SECURE_CREDENTIALS="$ES_SECURE_DIR/credentials.properties"

KINESIS_PORT="${BUSHFIRE_KINESIS_PORT:-4568}"
KINESIS_TLS_PORT="${BUSHFIRE_KINESIS_TLS_PORT:-4567}"
SNS_PORT="${BUSHFIRE_SNS_PORT:-4575}"
ES_PORT="${BUSHFIRE_ES_PORT:-9200}"
ES_TRANSPORT_PORT="${BUSHFIRE_ES_TRANSPORT_PORT:-9300}"
ES_SECURE_PORT="${BUSHFIRE_ES_SECURE_PORT:-9201}"
ES_SECURE_TRANSPORT_PORT="${BUSHFIRE_ES_SECURE_TRANSPORT_PORT:-9301}"
ES_HEAP="${BUSHFIRE_ES_HEAP:-512m}"
NODE_START_TIMEOUT="${BUSHFIRE_SERVICES_TIMEOUT:-30}"
ES_START_TIMEOUT="${BUSHFIRE_ES_START_TIMEOUT:-90}"

ALL_SERVICES=(kinesis sns elasticsearch)
# Started only when named; 'stop' without names stops them too.
OPTIONAL_SERVICES=(elasticsearch-secure)

usage() {
  cat <<EOF
Usage: scripts/services.sh COMMAND [SERVICE...]

Local stand-ins for AWS services, bound to 127.0.0.1 only.

Commands:
  start [SERVICE...]   install on first use, start, and wait until each service answers
                       (already-running services are left alone); default: kinesis, sns, elasticsearch
  stop [SERVICE...]    stop by recorded pid (TERM, bounded wait, then KILL); default: all, the
                       secured node included
  status [SERVICE...]  print state, pid and URL of each; exit 0 if all running, else 3;
                       default: kinesis, sns, elasticsearch
  env                  print export lines for the endpoints, e.g.
                         eval "\$(scripts/services.sh env)"
  --help, -h           this text

Services:
  kinesis        kinesis-local 0.6.2 (npm)   Kinesis JSON API, plain HTTP + self-signed TLS
  sns            fauxqs 1.9.2 (npm)          SNS (query protocol) + SQS (JSON protocol) + S3
  elasticsearch  Elasticsearch ${ES_VERSION}  (integ-test-zip from Maven Central, needs JDK 17)
  elasticsearch-secure
                 optional, only when named: a second node of the same install with x-pack security
                 on: https only (a local CA and a certificate for 127.0.0.1 made with openssl on
                 first start), user 'elastic' with a password set through the node's keystore

Environment (defaults in brackets):
  BUSHFIRE_KINESIS_PORT        Kinesis plain HTTP port [4568]
  BUSHFIRE_KINESIS_TLS_PORT    Kinesis HTTPS port, self-signed cert [4567]
  BUSHFIRE_SNS_PORT            fauxqs SNS/SQS port [4575]
  BUSHFIRE_ES_PORT             Elasticsearch HTTP port [9200]
  BUSHFIRE_ES_TRANSPORT_PORT   Elasticsearch transport port [9300]
  BUSHFIRE_ES_SECURE_PORT      secured node's HTTPS port [9201]
  BUSHFIRE_ES_SECURE_TRANSPORT_PORT  secured node's transport port [9301]
  BUSHFIRE_ES_SECURE_PASSWORD  password of its 'elastic' user when the node is first prepared
                               (letters, digits, . _ -; at least 6) [random, kept in the
                               credentials file below]
  BUSHFIRE_ES_HEAP             Elasticsearch heap, -Xms/-Xmx [512m]
  BUSHFIRE_ES_JAVA_HOME        JDK for Elasticsearch [JAVA_HOME if it is 17, else /usr/lib/jvm/*17*]
  BUSHFIRE_SERVICES_TIMEOUT    seconds to wait for kinesis/sns to answer [30]
  BUSHFIRE_ES_START_TIMEOUT    seconds to wait for Elasticsearch health yellow/green [90]
  BUSHFIRE_SERVICES_CACHE      install/run folder [<repo>/.cache/services]
  FAUXQS_LOGGER                "true" to log every SNS/SQS request [false]
  INITIALIZE_STREAMS           passed to kinesis-local, e.g. "fire-events:1" creates streams at start

'env' prints (from the same variables):
  BUSHFIRE_KINESIS_ENDPOINT=http://127.0.0.1:<kinesis port>
  BUSHFIRE_SNS_ENDPOINT=http://127.0.0.1:<sns port>
  BUSHFIRE_ES_URL=http://127.0.0.1:<es port>
  BUSHFIRE_ES_SECURE_URL=https://127.0.0.1:<secure port>
  BUSHFIRE_ES_SECURE_CA_CERT=<the secured node's CA certificate, PEM>        (--es-ca-cert)
  BUSHFIRE_ES_SECURE_CREDENTIALS_FILE=<username=/password= of 'elastic'>  (--es-credentials-file)

Files (under ${CACHE_DIR}):
  npm/                       kinesis-local + fauxqs (npm ci from scripts/services/package-lock.json)
  elasticsearch-${ES_VERSION}/  Elasticsearch node (config, data, its own logs/)
  elasticsearch-secure/      the secured node: config/ (elasticsearch.yml, keystore, certs/), data/,
                             logs/, and for clients ca.pem and credentials.properties (mode 600)
  run/<service>.pid          pids of running services
  logs/<service>.log         service output (previous run kept as <service>.log.1);
                             logs/elasticsearch-server.log links to the node's own log;
                             logs/install.log for npm/mvn output
Service names: kinesis, sns, elasticsearch (or es), elasticsearch-secure (or es-secure).

Client notes:
  kinesis  any static credentials; it needs a SigV4 Authorization header + X-Amz-Date but does not
           check the signature; streams are kept per region (taken from the credential scope).
  sns      SNS over the query protocol (form-urlencoded), SQS over JSON (x-amz-json-1.0) only;
           only 'sqs' subscriptions receive messages. Queue URLs look like
           http://sqs.<region>.localhost:<port>/000000000000/<name>; send requests to the endpoint.
  elasticsearch-secure
           bin/bushfire index --es-hosts "\$BUSHFIRE_ES_SECURE_URL" --es-ca-cert "\$BUSHFIRE_ES_SECURE_CA_CERT" \\
             --es-credentials-file "\$BUSHFIRE_ES_SECURE_CREDENTIALS_FILE" ...
           (bin/elasticsearch-certutil cannot run from the minimal zip: its tool classes are not
           bundled; hence openssl. Delete elasticsearch-secure/ to make new certificates.)

Helpers: scripts/services/loopback.js (preload forcing listen() onto 127.0.0.1),
         scripts/services/fauxqs-launcher.js (fauxqs via its buildApp() API on 127.0.0.1).
When run as root, Elasticsearch runs as uid ${ES_UID} (setpriv) and its folder is chowned to it.
EOF
}

say() { printf '%s\n' "$*"; }
warn() { printf 'services.sh: %s\n' "$*" >&2; }
die() {
  warn "$*"
  exit 1
}

check_port_value() { # name value
  if ! [[ "$2" =~ ^[0-9]+$ ]] || ((10#$2 < 1 || 10#$2 > 65535)); then
    die "$1 must be a port number (1-65535), got '$2'"
  fi
}

check_settings() { # services...
  local -a ports=("$KINESIS_PORT" "$KINESIS_TLS_PORT" "$SNS_PORT" "$ES_PORT" "$ES_TRANSPORT_PORT")
  check_port_value BUSHFIRE_KINESIS_PORT "$KINESIS_PORT"
  check_port_value BUSHFIRE_KINESIS_TLS_PORT "$KINESIS_TLS_PORT"
  check_port_value BUSHFIRE_SNS_PORT "$SNS_PORT"
  check_port_value BUSHFIRE_ES_PORT "$ES_PORT"
  check_port_value BUSHFIRE_ES_TRANSPORT_PORT "$ES_TRANSPORT_PORT"
  # The secured node's settings only count when it is named, so they cannot break the other services.
  if [[ " $* " == *" elasticsearch-secure "* ]]; then
    check_port_value BUSHFIRE_ES_SECURE_PORT "$ES_SECURE_PORT"
    check_port_value BUSHFIRE_ES_SECURE_TRANSPORT_PORT "$ES_SECURE_TRANSPORT_PORT"
    ports+=("$ES_SECURE_PORT" "$ES_SECURE_TRANSPORT_PORT")
    if [[ -n "${BUSHFIRE_ES_SECURE_PASSWORD:-}" && ! "$BUSHFIRE_ES_SECURE_PASSWORD" =~ ^[A-Za-z0-9._-]{6,}$ ]]; then
      die "BUSHFIRE_ES_SECURE_PASSWORD must be at least 6 letters, digits, '.', '_' or '-'"
    fi
  fi
  local dup
  dup="$(printf '%s\n' "${ports[@]}" | sort | uniq -d)"
  [[ -z "$dup" ]] || die "port(s) configured twice: $(echo "$dup" | tr '\n' ' ')"
  [[ "$NODE_START_TIMEOUT" =~ ^[0-9]+$ ]] || die "BUSHFIRE_SERVICES_TIMEOUT must be a number of seconds"
  [[ "$ES_START_TIMEOUT" =~ ^[0-9]+$ ]] || die "BUSHFIRE_ES_START_TIMEOUT must be a number of seconds"
  [[ "$ES_HEAP" =~ ^[0-9]+[mMgG]$ ]] || die "BUSHFIRE_ES_HEAP must look like 512m or 1g, got '$ES_HEAP'"
}

# ---------------------------------------------------------------- processes

service_url() {
  case "$1" in
    kinesis) echo "http://127.0.0.1:$KINESIS_PORT" ;;
    sns) echo "http://127.0.0.1:$SNS_PORT" ;;
    elasticsearch) echo "http://127.0.0.1:$ES_PORT" ;;
    elasticsearch-secure) echo "https://127.0.0.1:$ES_SECURE_PORT" ;;
  esac
}

# A string that the service's command line contains: guards against pid reuse.
service_marker() {
  case "$1" in
    kinesis) echo "kinesis-local/main.js" ;;
    sns) echo "fauxqs-launcher.js" ;;
    elasticsearch) echo "org.elasticsearch.bootstrap.Elasticsearch" ;;
    elasticsearch-secure) echo "-Des.path.conf=$ES_SECURE_DIR/config" ;;
  esac
}

pid_file() { echo "$RUN_DIR/$1.pid"; }

is_alive() { # pid; a zombie counts as dead
  local pid="$1" state=""
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/stat" ]]; then
    state="$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || true
    [[ "$state" != "Z" ]] || return 1
  fi
  return 0
}

# Prints the pid of the service if its pid file names a live process of ours.
running_pid() {
  local file pid
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" ]] || return 1
  is_alive "$pid" || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(service_marker "$1")" || return 1
  fi
  echo "$pid"
}

port_in_use() { # port
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# Fails (with the message the user needs) if a port is already taken.
require_free_port() { # port env-var service
  if port_in_use "$1"; then
    warn "cannot start $3: port $1 is already in use by another process."
    warn "  Stop that process, or pick another port: export $2=<free port>"
    return 1
  fi
}

# Fails if the process listens on anything but loopback (checked with ss, when it can see pids).
check_loopback_only() { # name pid
  command -v ss >/dev/null 2>&1 || return 0
  local bad
  bad="$(ss -Hltnp 2>/dev/null | grep -E "pid=$2[,)]" | awk '{print $4}' | grep -vE '^(127\.[0-9.]+|\[::1\]|\[::ffff:127\.[0-9.]+\]):[0-9]+$' || true)"
  if [[ -n "$bad" ]]; then
    warn "$1 (pid $2) listens on a non-loopback address: $(echo "$bad" | tr '\n' ' ')"
    return 1
  fi
}

stop_pid() { # name pid timeout-seconds
  local name="$1" pid="$2" timeout="$3" i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 5; i++)); do
    is_alive "$pid" || return 0
    sleep 0.2
  done
  warn "$name (pid $pid) did not stop within ${timeout}s: sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 25; i++)); do
    is_alive "$pid" || return 0
    sleep 0.2
  done
  warn "$name (pid $pid) is still alive after KILL"
  return 1
}

stop_service() { # name
  local name="$1" pid file timeout=10
  file="$(pid_file "$name")"
  [[ "$name" == elasticsearch* ]] && timeout=30
  if pid="$(running_pid "$name")"; then
    say "stopping $name (pid $pid)"
    stop_pid "$name" "$pid" "$timeout" || return 1
    rm -f "$file"
    say "$name stopped"
  elif [[ -f "$file" ]]; then
    rm -f "$file"
    say "$name not running (removed stale pid file)"
  else
    say "$name not running"
  fi
}

rotate_log() { # file
  if [[ -s "$1" ]]; then mv -f "$1" "$1.1"; fi
  : >"$1"
}

log_tail() { # file [lines]
  [[ -f "$1" ]] || return 0
  warn "--- last lines of $1 ---"
  tail -n "${2:-40}" "$1" >&2 || true
  warn "---"
}

# Stops a service that failed to come up and reports why.
abandon() { # name pid log...
  local name="$1" pid="$2" f
  shift 2
  if is_alive "$pid"; then stop_pid "$name" "$pid" 10 || true; fi
  rm -f "$(pid_file "$name")"
  for f in "$@"; do log_tail "$f"; done
  return 1
}

# ---------------------------------------------------------------- installs

ensure_gitignore() {
  local file="$REPO_ROOT/.gitignore" entry
  [[ "$CACHE_DIR" == "$REPO_ROOT/.cache/"* ]] || return 0
  for entry in .cache/ target/ node_modules/; do
    if [[ ! -f "$file" ]] || ! grep -qxF "$entry" "$file"; then
      if [[ -s "$file" && -n "$(tail -c1 "$file")" ]]; then echo >>"$file"; fi
      echo "$entry" >>"$file"
    fi
  done
}

prepare_dirs() {
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  ensure_gitignore
}

# Serialises concurrent start/stop calls (flock from util-linux, when present).
take_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$CACHE_DIR/.lock"
  flock -w 300 9 || die "another services.sh is still busy (lock $CACHE_DIR/.lock)"
}

file_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }

install_npm() {
  local stamp="$NPM_DIR/.installed" want
  want="$(file_hash "$HELPER_DIR/package.json" "$HELPER_DIR/package-lock.json")"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" &&
    -f "$NPM_DIR/node_modules/kinesis-local/main.js" && -f "$NPM_DIR/node_modules/fauxqs/package.json" ]]; then
    return 0
  fi
  command -v node >/dev/null 2>&1 || die "node is not installed (Node >= 20 is needed for kinesis-local and fauxqs)"
  command -v npm >/dev/null 2>&1 || die "npm is not installed"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  ((major >= 20)) || die "Node >= 20 is needed, found $(node --version)"
  say "installing kinesis-local and fauxqs into $NPM_DIR (npm ci)"
  mkdir -p "$NPM_DIR"
  rm -f "$stamp"
  cp "$HELPER_DIR/package.json" "$HELPER_DIR/package-lock.json" "$NPM_DIR/"
  if ! (cd "$NPM_DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >>"$LOG_DIR/install.log" 2>&1; then
    log_tail "$LOG_DIR/install.log"
    die "npm ci failed (full output in $LOG_DIR/install.log)"
  fi
  echo "$want" >"$stamp"
}

install_es() {
  [[ -x "$ES_HOME/bin/elasticsearch" && -f "$ES_HOME/config/elasticsearch.yml.orig" ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn is needed to fetch Elasticsearch ($ES_ARTIFACT)"
  local dl="$CACHE_DIR/downloads" tmp="$CACHE_DIR/elasticsearch-$ES_VERSION.partial"
  local zip="$dl/elasticsearch-$ES_VERSION.zip"
  say "installing Elasticsearch $ES_VERSION into $ES_HOME (from Maven Central)"
  mkdir -p "$dl"
  # dependency:copy resolves through the local Maven repository (~/.m2 or as configured) and copies
  # the zip here; run outside the repo so the project's pom is not read.
  if ! (cd "$dl" && mvn -B -q -Dstyle.color=never dependency:copy -Dartifact="$ES_ARTIFACT" \
    -DoutputDirectory="$dl" -Dmdep.stripVersion=false) >>"$LOG_DIR/install.log" 2>&1 || [[ ! -f "$zip" ]]; then
    log_tail "$LOG_DIR/install.log"
    die "could not fetch $ES_ARTIFACT with mvn (full output in $LOG_DIR/install.log)"
  fi
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$zip" -d "$tmp"
  else
    python3 -m zipfile -e "$zip" "$tmp"
    chmod +x "$tmp"/elasticsearch-*/bin/*
  fi
  [[ -x "$tmp/elasticsearch-$ES_VERSION/bin/elasticsearch" ]] || die "unexpected layout in $zip"
  cp "$tmp/elasticsearch-$ES_VERSION/config/elasticsearch.yml" "$tmp/elasticsearch-$ES_VERSION/config/elasticsearch.yml.orig"
  rm -rf "$ES_HOME"
  mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
  rm -rf "$tmp" "$zip"
  rmdir "$dl" 2>/dev/null || true
}

java_major() { # java-home
  local line
  line="$("$1/bin/java" -version 2>&1 | sed -n 1p)" || return 1
  line="${line#*version \"}"
  line="${line%%\"*}"
  line="${line#1.}"
  echo "${line%%[.+-]*}"
}

find_jdk17() {
  if [[ -n "${BUSHFIRE_ES_JAVA_HOME:-}" ]]; then
    [[ -x "$BUSHFIRE_ES_JAVA_HOME/bin/java" ]] || die "BUSHFIRE_ES_JAVA_HOME=$BUSHFIRE_ES_JAVA_HOME has no bin/java"
    echo "$BUSHFIRE_ES_JAVA_HOME"
    return 0
  fi
  local candidates=() c java
  if [[ -n "${JAVA_HOME:-}" ]]; then candidates+=("$JAVA_HOME"); fi
  for c in /usr/lib/jvm/*17*; do
    if [[ -e "$c" ]]; then candidates+=("$c"); fi
  done
  if java="$(command -v java 2>/dev/null)"; then
    java="$(readlink -f "$java")"
    candidates+=("${java%/bin/java}")
  fi
  for c in "${candidates[@]}"; do
    if [[ -x "$c/bin/java" && "$(java_major "$c" 2>/dev/null)" == 17 ]]; then
      readlink -f "$c"
      return 0
    fi
  done
  die "no JDK 17 found for Elasticsearch (looked at JAVA_HOME, /usr/lib/jvm/*17*, java on PATH); set BUSHFIRE_ES_JAVA_HOME"
}

configure_es() {
  {
    cat "$ES_HOME/config/elasticsearch.yml.orig"
    cat <<EOF

# ---- written by scripts/services.sh on every start ----
cluster.name: bushfire-local
node.name: bushfire-local-1
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
# a nearly full disk must not turn indices read-only or block shard allocation
cluster.routing.allocation.disk.threshold_enabled: false
EOF
  } >"$ES_HOME/config/elasticsearch.yml"
  mkdir -p "$ES_HOME/tmp"
}

# The secured node's own config folder (ES_PATH_CONF), made once: a local CA and a certificate for
# 127.0.0.1 signed by it, and the 'elastic' password in the node's keystore. bin/elasticsearch-certutil
# cannot run from the minimal zip (its CertificateTool classes are not bundled), hence openssl.
# Delete ES_SECURE_DIR to start over: new CA, new password, no data.
setup_es_secure() {
  local conf="$ES_SECURE_DIR/config" certs="$ES_SECURE_DIR/config/certs" jdk password
  if [[ -s "$conf/elasticsearch.keystore" && -s "$certs/node.pem" && -s "$certs/node.key" &&
    -s "$ES_SECURE_CA" && -s "$ES_SECURE_CREDENTIALS" ]]; then
    return 0
  fi
  command -v openssl >/dev/null 2>&1 || die "openssl is needed to make the secured node's certificates"
  jdk="$(find_jdk17)"
  say "preparing the secured Elasticsearch node in $ES_SECURE_DIR (local CA, certificate for 127.0.0.1, keystore)"
  rm -rf "$ES_SECURE_DIR"
  mkdir -p "$certs" "$conf/jvm.options.d" "$ES_SECURE_DIR/data" "$ES_SECURE_DIR/logs" "$ES_SECURE_DIR/tmp"
  cp "$ES_HOME/config/jvm.options" "$ES_HOME/config/log4j2.properties" "$conf/"
  if ! {
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=bushfire local test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$certs/ca.key" -out "$certs/ca.pem" &&
      openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$certs/node.key" -out "$certs/node.csr" &&
      openssl x509 -req -days 825 -in "$certs/node.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" \
        -set_serial "0x$(openssl rand -hex 8)" -out "$certs/node.pem" -extfile <(printf '%s\n' \
          "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=critical,CA:FALSE" \
          "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth")
  } >>"$LOG_DIR/install.log" 2>&1; then
    log_tail "$LOG_DIR/install.log"
    die "openssl could not make the secured node's certificates (full output in $LOG_DIR/install.log)"
  fi
  # Nothing else is ever to be signed for this node: the CA's key goes.
  rm -f "$certs/ca.key" "$certs/node.csr"
  cp "$certs/ca.pem" "$ES_SECURE_CA"
  password="${BUSHFIRE_ES_SECURE_PASSWORD:-$(openssl rand -hex 16)}"
  # The password reaches the keystore on stdin, never on a command line.
  if ! {
    ES_PATH_CONF="$conf" ES_JAVA_HOME="$jdk" "$ES_HOME/bin/elasticsearch-keystore" create -s &&
      printf '%s' "$password" |
      ES_PATH_CONF="$conf" ES_JAVA_HOME="$jdk" "$ES_HOME/bin/elasticsearch-keystore" add -x -s bootstrap.password
  } >>"$LOG_DIR/install.log" 2>&1; then
    log_tail "$LOG_DIR/install.log"
    die "elasticsearch-keystore could not store the bootstrap password (full output in $LOG_DIR/install.log)"
  fi
  (
    umask 077
    printf 'username=elastic\npassword=%s\n' "$password" >"$ES_SECURE_CREDENTIALS"
  )
}

configure_es_secure() {
  cat >"$ES_SECURE_DIR/config/elasticsearch.yml" <<EOF
# ---- written by scripts/services.sh on every start ----
cluster.name: bushfire-local-secure
node.name: bushfire-local-secure-1
path.data: $ES_SECURE_DIR/data
path.logs: $ES_SECURE_DIR/logs
network.host: 127.0.0.1
http.port: $ES_SECURE_PORT
transport.port: $ES_SECURE_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: true
xpack.security.http.ssl.enabled: true
xpack.security.http.ssl.key: certs/node.key
xpack.security.http.ssl.certificate: certs/node.pem
xpack.security.http.ssl.certificate_authorities: [ "certs/ca.pem" ]
cluster.routing.allocation.disk.threshold_enabled: false
EOF
}

# Where each node keeps what the script needs: its config folder, the pid file bin/elasticsearch writes, its log.
es_conf_dir() {
  case "$1" in
    elasticsearch) echo "$ES_HOME/config" ;;
    elasticsearch-secure) echo "$ES_SECURE_DIR/config" ;;
  esac
}

es_pid_file() {
  case "$1" in
    elasticsearch) echo "$ES_HOME/elasticsearch.pid" ;;
    elasticsearch-secure) echo "$ES_SECURE_DIR/elasticsearch.pid" ;;
  esac
}

es_server_log() {
  case "$1" in
    elasticsearch) echo "$ES_HOME/logs/bushfire-local.log" ;;
    elasticsearch-secure) echo "$ES_SECURE_DIR/logs/bushfire-local-secure.log" ;;
  esac
}

# ---------------------------------------------------------------- starting

NODE_MODULES="$NPM_DIR/node_modules"
declare -A LAUNCHED_AT=()

launch_kinesis() {
  local log="$LOG_DIR/kinesis.log" pid
  rotate_log "$log"
  (
    cd "$CACHE_DIR"
    exec nohup env \
      KINESIS_MOCK_CERT_PATH="$NODE_MODULES/kinesis-local/server.json" \
      KINESIS_MOCK_PLAIN_PORT="$KINESIS_PORT" \
      KINESIS_MOCK_TLS_PORT="$KINESIS_TLS_PORT" \
      node -r "$HELPER_DIR/loopback.js" "$NODE_MODULES/kinesis-local/main.js"
  ) >>"$log" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$(pid_file kinesis)"
}

launch_sns() {
  local log="$LOG_DIR/sns.log" pid
  rotate_log "$log"
  (
    cd "$CACHE_DIR"
    exec nohup env \
      FAUXQS_PORT="$SNS_PORT" \
      FAUXQS_LOGGER="${FAUXQS_LOGGER:-false}" \
      BUSHFIRE_NODE_MODULES="$NODE_MODULES" \
      node -r "$HELPER_DIR/loopback.js" "$HELPER_DIR/fauxqs-launcher.js"
  ) >>"$log" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$(pid_file sns)"
}

launch_elasticsearch() {
  configure_es
  launch_es_node elasticsearch "$ES_HOME/tmp"
}

launch_elasticsearch_secure() {
  configure_es_secure
  launch_es_node elasticsearch-secure "$ES_SECURE_DIR/tmp" \
    "$ES_SECURE_DIR/config" "$ES_SECURE_DIR/data" "$ES_SECURE_DIR/logs" "$ES_SECURE_DIR/tmp"
}

# Starts one node of the install. Run as root, it runs as uid ES_UID, which then owns the install and the
# node's own folders (the secured node's client files, ca.pem and credentials.properties, stay the caller's).
launch_es_node() { # name tmp-dir [folder of the node...]
  local name="$1" tmp="$2" log="$LOG_DIR/$1.log" jdk server_log es_pid
  shift 2
  local -a as_user=()
  jdk="$(find_jdk17)"
  server_log="$(es_server_log "$name")"
  es_pid="$(es_pid_file "$name")"
  rm -f "$es_pid" "$(pid_file "$name")"
  if [[ "$(id -u)" == 0 ]]; then
    command -v setpriv >/dev/null 2>&1 || die "setpriv (util-linux) is needed to run Elasticsearch as uid $ES_UID"
    chown -R "$ES_UID:$ES_UID" "$ES_HOME" "$@"
    # bin/elasticsearch writes its pid file there
    chown "$ES_UID:$ES_UID" "$(dirname "$es_pid")"
    if ! setpriv --reuid="$ES_UID" --regid="$ES_UID" --clear-groups test -x "$ES_HOME/bin/elasticsearch"; then
      die "Elasticsearch runs as uid $ES_UID but cannot reach $ES_HOME: a parent folder is not" \
        "traversable by other users (e.g. /root is 700). Set BUSHFIRE_SERVICES_CACHE to a folder outside it."
    fi
    as_user=(setpriv --reuid="$ES_UID" --regid="$ES_UID" --clear-groups)
  fi
  rotate_log "$log"
  ln -sfn "../${server_log#"$CACHE_DIR"/}" "$LOG_DIR/$name-server.log"
  say "$name: JDK $jdk, heap $ES_HEAP"
  # -d daemonises: bin/elasticsearch returns once the JVM is forked. Never pipe its output.
  if ! (
    cd "$ES_HOME"
    exec "${as_user[@]}" env HOME=/tmp ES_JAVA_HOME="$jdk" ES_TMPDIR="$tmp" ES_PATH_CONF="$(es_conf_dir "$name")" \
      ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
      bin/elasticsearch -d -p "$es_pid"
  ) >>"$log" 2>&1 </dev/null 9>&-; then
    log_tail "$log"
    die "bin/elasticsearch failed to start $name (logs: $log, $(dirname "$server_log")/)"
  fi
}

http_code() { # curl args...
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" 2>/dev/null || true
}

# kinesis-local wants a SigV4-shaped Authorization header plus X-Amz-Date (else 400
# MissingAuthenticationToken / IncompleteSignature) but does not verify the signature.
kinesis_answers() {
  [[ "$(http_code -X POST "http://127.0.0.1:$KINESIS_PORT/" \
    -H 'Content-Type: application/x-amz-json-1.1' \
    -H 'X-Amz-Target: Kinesis_20131202.ListStreams' \
    -H 'X-Amz-Date: 20240101T000000Z' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0' \
    --data '{}')" == 200 ]]
}

sns_answers() {
  [[ "$(http_code "http://127.0.0.1:$SNS_PORT/health")" == 200 ]]
}

es_health() { # name
  local -a tls=()
  local password=""
  if [[ "$1" == elasticsearch-secure ]]; then
    [[ -r "$ES_SECURE_CREDENTIALS" ]] && password="$(sed -n 's/^password=//p' "$ES_SECURE_CREDENTIALS")"
    tls=(--cacert "$ES_SECURE_CA")
  fi
  # The password goes to curl as a config line on stdin, never on its command line.
  { [[ -z "$password" ]] || printf 'user = "elastic:%s"\n' "$password"; } |
    curl -s --max-time 3 "${tls[@]}" -K - "$(service_url "$1")/_cluster/health" 2>/dev/null |
    grep -oE '"status":"[a-z]+"' | cut -d'"' -f4 || true
}

wait_node_service() { # name answers-function timeout
  local name="$1" check="$2" timeout="$3" pid log="$LOG_DIR/$1.log" start=${LAUNCHED_AT[$1]:-$SECONDS}
  pid="$(tr -dc '0-9' <"$(pid_file "$name")")"
  while ! "$check"; do
    if ! is_alive "$pid"; then
      warn "$name (pid $pid) exited during start"
      abandon "$name" "$pid" "$log"
      return 1
    fi
    if ((SECONDS - start >= timeout)); then
      warn "$name did not answer on $(service_url "$name") within ${timeout}s"
      abandon "$name" "$pid" "$log"
      return 1
    fi
    sleep 0.2
  done
  if ! check_loopback_only "$name" "$pid"; then
    abandon "$name" "$pid"
    return 1
  fi
  say "$name ready: $(service_url "$name") (pid $pid, $((SECONDS - start))s)"
}

# Is a JVM of this node (its command line names the node's config folder) alive? For the time before its pid
# file exists.
es_jvm_alive() { # name
  [[ -d /proc/self ]] || return 0
  grep -lsF -- "-Des.path.conf=$(es_conf_dir "$1")" /proc/[0-9]*/cmdline >/dev/null 2>&1
}

wait_elasticsearch() { # name
  local name="$1" log="$LOG_DIR/$1.log" server_log es_pid
  local start=${LAUNCHED_AT[$1]:-$SECONDS} pid="" status gone=0
  server_log="$(es_server_log "$name")"
  es_pid="$(es_pid_file "$name")"
  while :; do
    if [[ -z "$pid" && -s "$es_pid" ]]; then
      pid="$(tr -dc '0-9' <"$es_pid")"
      echo "$pid" >"$(pid_file "$name")"
    fi
    status="$(es_health "$name")"
    if [[ -n "$pid" && ("$status" == yellow || "$status" == green) ]]; then break; fi
    if [[ -n "$pid" ]] && ! is_alive "$pid"; then
      warn "$name (pid $pid) exited during start"
      abandon "$name" "$pid" "$log" "$server_log"
      return 1
    fi
    if [[ -z "$pid" ]] && ! es_jvm_alive "$name"; then gone=$((gone + 1)); else gone=0; fi
    if ((gone >= 3)); then
      warn "$name JVM exited before writing its pid file ($es_pid)"
      log_tail "$log"
      log_tail "$server_log" 15
      return 1
    fi
    if ((SECONDS - start >= ES_START_TIMEOUT)); then
      warn "$name did not reach health yellow/green on $(service_url "$name") within ${ES_START_TIMEOUT}s"
      # The JVM may still be booting without its pid file: give it a moment, so it can be stopped by pid.
      for ((gone = 0; gone < 30; gone++)); do
        if [[ -n "$pid" || -s "$es_pid" ]] || ! es_jvm_alive "$name"; then break; fi
        sleep 0.5
      done
      [[ -n "$pid" || ! -s "$es_pid" ]] || pid="$(tr -dc '0-9' <"$es_pid")"
      if [[ -n "$pid" ]]; then
        abandon "$name" "$pid" "$log" "$server_log"
      else
        log_tail "$log"
        log_tail "$server_log" 15
      fi
      return 1
    fi
    sleep 0.5
  done
  if ! check_loopback_only "$name" "$pid"; then
    abandon "$name" "$pid"
    return 1
  fi
  say "$name ready: $(service_url "$name") (pid $pid, health $status, $((SECONDS - start))s)"
}

ports_free() { # service
  case "$1" in
    kinesis)
      require_free_port "$KINESIS_PORT" BUSHFIRE_KINESIS_PORT kinesis || return 1
      require_free_port "$KINESIS_TLS_PORT" BUSHFIRE_KINESIS_TLS_PORT kinesis || return 1
      ;;
    sns) require_free_port "$SNS_PORT" BUSHFIRE_SNS_PORT sns || return 1 ;;
    elasticsearch)
      require_free_port "$ES_PORT" BUSHFIRE_ES_PORT elasticsearch || return 1
      require_free_port "$ES_TRANSPORT_PORT" BUSHFIRE_ES_TRANSPORT_PORT elasticsearch || return 1
      ;;
    elasticsearch-secure)
      require_free_port "$ES_SECURE_PORT" BUSHFIRE_ES_SECURE_PORT elasticsearch-secure || return 1
      require_free_port "$ES_SECURE_TRANSPORT_PORT" BUSHFIRE_ES_SECURE_TRANSPORT_PORT elasticsearch-secure || return 1
      ;;
  esac
}

cmd_start() {
  local -a services=("$@") launched=()
  local svc pid failed=0
  prepare_dirs
  take_lock
  for svc in "${services[@]}"; do
    if pid="$(running_pid "$svc")"; then
      say "$svc already running: $(service_url "$svc") (pid $pid)"
      continue
    fi
    rm -f "$(pid_file "$svc")"
    if ! ports_free "$svc"; then
      failed=1
      continue
    fi
    case "$svc" in
      kinesis | sns) install_npm ;;
      elasticsearch) install_es ;;
      elasticsearch-secure)
        install_es
        setup_es_secure
        ;;
    esac
    LAUNCHED_AT[$svc]=$SECONDS
    "launch_${svc//-/_}"
    launched+=("$svc")
  done
  # Everything is launched first and waited for afterwards, so the services start in parallel.
  for svc in "${launched[@]}"; do
    case "$svc" in
      kinesis) wait_node_service kinesis kinesis_answers "$NODE_START_TIMEOUT" || failed=1 ;;
      sns) wait_node_service sns sns_answers "$NODE_START_TIMEOUT" || failed=1 ;;
      elasticsearch | elasticsearch-secure) wait_elasticsearch "$svc" || failed=1 ;;
    esac
  done
  if ((failed)); then
    warn "start failed for some services (see above); logs in $LOG_DIR"
    return 1
  fi
}

cmd_stop() {
  local svc failed=0
  [[ -d "$RUN_DIR" ]] || {
    say "nothing to stop (no $RUN_DIR)"
    return 0
  }
  take_lock
  for svc in "$@"; do stop_service "$svc" || failed=1; done
  return "$failed"
}

cmd_status() {
  local svc pid all=0
  for svc in "$@"; do
    if pid="$(running_pid "$svc")"; then
      printf '%-14s %-8s pid %-8s %s\n' "$svc" running "$pid" "$(service_url "$svc")"
    else
      printf '%-14s %-8s pid %-8s %s\n' "$svc" stopped - "$(service_url "$svc")"
      all=3
    fi
  done
  return "$all"
}

cmd_env() {
  printf 'export BUSHFIRE_KINESIS_ENDPOINT=%s\n' "$(service_url kinesis)"
  printf 'export BUSHFIRE_SNS_ENDPOINT=%s\n' "$(service_url sns)"
  printf 'export BUSHFIRE_ES_URL=%s\n' "$(service_url elasticsearch)"
  printf 'export BUSHFIRE_ES_SECURE_URL=%s\n' "$(service_url elasticsearch-secure)"
  printf 'export BUSHFIRE_ES_SECURE_CA_CERT=%s\n' "$ES_SECURE_CA"
  printf 'export BUSHFIRE_ES_SECURE_CREDENTIALS_FILE=%s\n' "$ES_SECURE_CREDENTIALS"
  # The stand-ins accept any credentials; the job reads them from the AWS default chain, as on EMR.
  # Throwaway values, for these local stand-ins only; a shell that already has credentials keeps its own.
  printf 'export AWS_REGION=%s\n' "${AWS_REGION:-us-east-1}"
  printf 'export AWS_ACCESS_KEY_ID=%s\n' "${AWS_ACCESS_KEY_ID:-local}"
  printf 'export AWS_SECRET_ACCESS_KEY=%s\n' "${AWS_SECRET_ACCESS_KEY:-local}"
}

# ---------------------------------------------------------------- main

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    -h | --help | help)
      usage
      return 0
      ;;
    start | stop | status | env) ;;
    "")
      warn "missing command: start, stop, status or env (see --help)"
      return 2
      ;;
    *)
      warn "unknown command '$cmd': expected start, stop, status or env (see --help)"
      return 2
      ;;
  esac
  local -a services=()
  local arg
  for arg in "$@"; do
    case "$arg" in
      -h | --help)
        usage
        return 0
        ;;
      kinesis | sns | elasticsearch | es | elasticsearch-secure | es-secure)
        [[ "$arg" == es ]] && arg=elasticsearch
        [[ "$arg" == es-secure ]] && arg=elasticsearch-secure
        [[ " ${services[*]} " == *" $arg "* ]] || services+=("$arg")
        ;;
      *)
        warn "unknown service '$arg' (expected: ${ALL_SERVICES[*]} ${OPTIONAL_SERVICES[*]})"
        return 2
        ;;
    esac
  done
  if ((${#services[@]} == 0)); then
    services=("${ALL_SERVICES[@]}")
    [[ "$cmd" != stop ]] || services+=("${OPTIONAL_SERVICES[@]}")
  fi
  check_settings "${services[@]}"
  case "$cmd" in
    start) cmd_start "${services[@]}" ;;
    stop) cmd_stop "${services[@]}" ;;
    status) cmd_status "${services[@]}" ;;
    env) cmd_env ;;
  esac
}

main "$@"
