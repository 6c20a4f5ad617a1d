#!/usr/bin/env bash
# Submits the bushfire alerting job to an existing EMR cluster: uploads the jar (unless it is already in
# S3), then adds two steps on the primary node: fetch the jar (the bootstrap action again), start the job.
set -euo pipefail

BF_SCRIPT=submit.sh
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$HERE/lib.sh"

usage() {
  cat <<EOF
Usage: deploy/emr-bootstrap/submit.sh --config FILE --cluster-id ID (--jar FILE | --jar-uri URI --sha256 HEX)
                                      [--savepoint PATH] [--wait] [--dry-run] [--work-dir DIR]

Starts the job on a running cluster that has none (a cluster made by create-cluster.sh already runs it):
  1. aws s3 cp  FILE -> \$ARTIFACTS_URI/jars/<name>-<sha256 prefix>.jar    (with --jar)
  2. aws emr add-steps: fetch that jar on the primary node, then start the job on YARN with the same
     options as 'bin/bushfire run', from PATH when --savepoint is given.
The start step refuses to run when the job is already running (stop.sh first, or use upgrade.sh).

Options:
  --cluster-id ID   the EMR cluster (j-...)
  --jar FILE        the cluster jar to upload (mvn package: target/bushfire-alerting-<version>.jar)
  --jar-uri URI     a jar already uploaded by these scripts, with its --sha256
  --savepoint PATH  start from this savepoint or retained checkpoint (s3://.../savepoints/savepoint-...)
  --wait            wait until the start step has finished
$BF_COMMON_HELP
EOF
}

main() {
  local cluster="" jar="" jar_uri="" sha="" savepoint="" wait=false
  bf_parse_common "$@"
  set -- "${BF_REST[@]+"${BF_REST[@]}"}"
  while (($#)); do
    case "$1" in
      --cluster-id) cluster=${2:?--cluster-id needs an id}; shift 2 ;;
      --jar) jar=${2:?--jar needs a file}; shift 2 ;;
      --jar-uri) jar_uri=${2:?--jar-uri needs an s3:// URI}; shift 2 ;;
      --sha256) sha=${2:?--sha256 needs a digest}; shift 2 ;;
      --savepoint) savepoint=${2:?--savepoint needs a path}; shift 2 ;;
      --wait) wait=true; shift ;;
      *) bf_die "unknown option '$1' (see --help)" ;;
    esac
  done
  bf_check_cluster_id "$cluster"
  bf_check_job_settings
  if [[ -n "$jar" ]]; then
    [[ -z "$jar_uri" ]] || bf_die "--jar and --jar-uri exclude each other"
    [[ -f "$jar" ]] || bf_die "--jar: no such file $jar"
    sha="$(bf_sha256 "$jar")"
    jar_uri="$ARTIFACTS_URI/jars/$(bf_jar_key_name "$jar" "$sha")"
  else
    [[ "$jar_uri" =~ ^s3://[^/]+/.+\.jar$ ]] || bf_die "--jar FILE or --jar-uri s3://.../NAME.jar is required"
    [[ "$sha" =~ ^[0-9a-f]{64}$ ]] || bf_die "--jar-uri needs --sha256 with the jar's 64-digit SHA-256"
  fi
  [[ -z "$savepoint" || "$savepoint" =~ ^s3://[^/]+/.+ ]] || bf_die "--savepoint must be an s3:// path, got '$savepoint'"

  local start_options=()
  [[ -z "$savepoint" ]] || start_options=(--savepoint "$savepoint")
  bf_write_file "$BF_WORK_DIR/steps.json" "[$(bf_fetch_jar_step "$jar_uri" "$sha"),
$(bf_start_steps "$(basename "$jar_uri")" CONTINUE "${start_options[@]+"${start_options[@]}"}")]"

  if [[ -n "$jar" ]]; then
    bf_aws s3 cp --only-show-errors "$HERE/job-control.sh" "$ARTIFACTS_URI/emr-bootstrap/job-control.sh"
    bf_aws s3 cp --only-show-errors "$jar" "$jar_uri"
  fi
  local step
  bf_add_steps step "$cluster" "$BF_WORK_DIR/steps.json"
  bf_say "start steps added on $cluster; the last (indexing job) is $step (jar $jar_uri)"
  if "$wait"; then
    bf_wait_step "$cluster" "$step"
  fi
}

bf_wants_help "$@" && { usage; exit 0; }
main "$@"
