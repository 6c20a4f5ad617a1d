#!/usr/bin/env bash
# EMR bootstrap action for the bushfire alerting job: runs on every node while it is provisioned (before
# EMR installs Flink), and again on the primary node as a step when submit/upgrade bring another jar.
# Fetches the job jar from S3 (checked against its SHA-256), installs job-control.sh, and, when asked,
# fetches the Elasticsearch credentials file from Secrets Manager. Idempotent: a jar already in place and
# intact is left alone; job-control.sh and the credentials file are fetched again each run (a newer script,
# a rotated secret), through a temporary name. Logs every action to stdout (EMR keeps it under the log URI)
# and to a file.
# Self-contained on purpose: EMR copies this one file to each node.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bootstrap-action.sh --jar s3://BUCKET/KEY.jar --scripts s3://BUCKET/PREFIX [OPTIONS]

Installs the bushfire alerting job on this node, under $BUSHFIRE_NODE_HOME (default /home/hadoop/bushfire):
  jars/<name>.jar      the job jar, verified against --sha256 when given
  bin/                 job-control.sh (from --scripts) and a copy of this script
  conf/es-credentials  with --es-credentials-secret: the secret's SecretString, mode 0600
  log/bootstrap.log    what each run did
Running it again keeps an intact jar and refreshes job-control.sh and the credentials file.

Options:
  --jar URI                   the job jar in S3
  --sha256 HEX                expected SHA-256 of the jar (a mismatch fails the bootstrap)
  --scripts URI               S3 folder holding job-control.sh
  --es-credentials-secret ARN Secrets Manager secret with the job's Elasticsearch credentials file
  --dry-run                   print what would be done, change nothing
  -h, --help                  this text
EOF
}

NODE_HOME="${BUSHFIRE_NODE_HOME:-/home/hadoop/bushfire}"
JAR_URI=""
JAR_SHA256=""
SCRIPTS_URI=""
SECRET_ARN=""
DRY_RUN=false

log() {
  local line
  line="$(date -u +%Y-%m-%dT%H:%M:%SZ) bushfire-bootstrap: $*"
  printf '%s\n' "$line"
  if ! "$DRY_RUN" && [[ -d "$NODE_HOME/log" ]]; then
    printf '%s\n' "$line" >>"$NODE_HOME/log/bootstrap.log"
  fi
}

die() {
  log "FAILED: $*" >&2
  exit 2
}

quote() {
  local out="" word
  for word in "$@"; do out+="$(printf '%q' "$word") "; done
  printf '%s' "${out% }"
}

run() {
  printf '+ %s\n' "$(quote "$@")"
  "$DRY_RUN" || "$@"
}

# run_to FILE CMD...: the command's output to FILE, created with mode 0600.
run_to() {
  local file=$1
  shift
  printf '+ %s > %s\n' "$(quote "$@")" "$(quote "$file")"
  if ! "$DRY_RUN"; then
    (umask 077 && "$@" >"$file")
  fi
}

sha256_of() {
  sha256sum "$1" | cut -d' ' -f1
}

# Fetches an S3 object to a local file through a temporary name, so a half-copied file never takes the
# place of a good one.
fetch() { # uri target [sha256]
  local uri=$1 target=$2 expected=${3:-}
  run aws s3 cp --only-show-errors "$uri" "$target.part"
  if ! "$DRY_RUN" && [[ -n "$expected" ]]; then
    local actual
    actual="$(sha256_of "$target.part")"
    if [[ "$actual" != "$expected" ]]; then
      rm -f "$target.part"
      die "$uri has SHA-256 $actual, expected $expected"
    fi
  fi
  run mv -f "$target.part" "$target"
}

install_jar() {
  local target
  target="$NODE_HOME/jars/$(basename "$JAR_URI")"
  if [[ -f "$target" ]]; then
    if [[ -z "$JAR_SHA256" ]]; then
      log "jar $target already present (no --sha256 to check it against): kept"
      return
    fi
    if [[ "$(sha256_of "$target")" == "$JAR_SHA256" ]]; then
      log "jar $target already present and intact: kept"
      return
    fi
    log "jar $target differs from $JAR_URI: fetching it again"
  fi
  log "fetching $JAR_URI"
  fetch "$JAR_URI" "$target" "$JAR_SHA256"
}

install_scripts() {
  log "installing job-control.sh from $SCRIPTS_URI"
  fetch "$SCRIPTS_URI/job-control.sh" "$NODE_HOME/bin/job-control.sh"
  run chmod 0755 "$NODE_HOME/bin/job-control.sh"
  local self
  self="$(readlink -f "${BASH_SOURCE[0]}")"
  if [[ "$self" != "$(readlink -f "$NODE_HOME/bin/bootstrap-action.sh" 2>/dev/null || true)" ]]; then
    run install -m 0755 "$self" "$NODE_HOME/bin/bootstrap-action.sh"
  fi
}

install_credentials() {
  [[ -n "$SECRET_ARN" ]] || return 0
  local target="$NODE_HOME/conf/es-credentials"
  # Fetched each time: a rotated secret takes effect at the next start of the job.
  log "fetching the Elasticsearch credentials file from $SECRET_ARN"
  run_to "$target.part" aws secretsmanager get-secret-value --secret-id "$SECRET_ARN" \
    --query SecretString --output text
  run mv -f "$target.part" "$target"
}

main() {
  while (($#)); do
    case "$1" in
      --jar) JAR_URI=${2:?--jar needs an s3:// URI}; shift 2 ;;
      --sha256) JAR_SHA256=${2:?--sha256 needs a hex digest}; shift 2 ;;
      --scripts) SCRIPTS_URI=${2:?--scripts needs an s3:// URI}; shift 2 ;;
      --es-credentials-secret) SECRET_ARN=${2:?--es-credentials-secret needs an ARN}; shift 2 ;;
      --dry-run) DRY_RUN=true; shift ;;
      -h | --help) usage; exit 0 ;;
      *) die "unknown option '$1' (see --help)" ;;
    esac
  done
  [[ "$JAR_URI" =~ ^s3://[^/]+/.+\.jar$ ]] || die "--jar must be an s3://bucket/key.jar URI, got '$JAR_URI'"
  [[ "$SCRIPTS_URI" =~ ^s3://[^/]+(/.*)?$ ]] || die "--scripts must be an s3:// URI, got '$SCRIPTS_URI'"
  SCRIPTS_URI="${SCRIPTS_URI%/}"
  [[ -z "$JAR_SHA256" || "$JAR_SHA256" =~ ^[0-9a-f]{64}$ ]] || die "--sha256 must be 64 lowercase hex digits"
  command -v aws >/dev/null 2>&1 || "$DRY_RUN" || die "the AWS CLI is not on this node's PATH"

  run mkdir -p "$NODE_HOME/bin" "$NODE_HOME/jars" "$NODE_HOME/conf" "$NODE_HOME/state" "$NODE_HOME/log"
  log "start on $(hostname) as $(id -un)$("$DRY_RUN" && echo ' (dry run)')"
  install_jar
  install_scripts
  install_credentials
  log "done: $NODE_HOME"
}

main "$@"
