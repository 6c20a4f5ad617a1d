#!/usr/bin/env bash
# Upgrades the running bushfire alerting job to a new jar without losing state: uploads the jar, then
# three EMR steps on the primary node: fetch the jar, stop the job with a savepoint, start the new jar from
# that savepoint. A failed fetch or stop cancels the rest, so the old job keeps running.
set -euo pipefail

BF_SCRIPT=upgrade.sh
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$HERE/lib.sh"

usage() {
  cat <<EOF
Usage: deploy/emr-bootstrap/upgrade.sh --config FILE --cluster-id ID --jar FILE [--no-wait] [--dry-run]
                                       [--work-dir DIR]

  1. aws s3 cp  FILE -> \$ARTIFACTS_URI/jars/<name>-<sha256 prefix>.jar (a new, immutable key)
  2. aws emr add-steps (in order, on the primary node):
       fetch the new jar                         (on failure: cancel the rest; the old job runs on)
       stop the job with a savepoint             (on failure: cancel the rest; the old job runs on)
       start the new jar from that savepoint     with the options in --config
  3. wait for the last step
Operators' uids are fixed in the job, so state maps onto the new jar. If the start fails, the savepoint
stays: 'submit.sh --savepoint PATH' with either jar resumes from it.

Options:
  --cluster-id ID   the EMR cluster (j-...)
  --jar FILE        the new cluster jar
  --no-wait         return once the steps are added
$BF_COMMON_HELP
EOF
}

main() {
  local cluster="" jar="" wait=true
  bf_parse_common "$@"
  set -- "${BF_REST[@]+"${BF_REST[@]}"}"
  while (($#)); do
    case "$1" in
      --cluster-id) cluster=${2:?--cluster-id needs an id}; shift 2 ;;
      --jar) jar=${2:?--jar needs a file}; shift 2 ;;
      --no-wait) wait=false; shift ;;
      *) bf_die "unknown option '$1' (see --help)" ;;
    esac
  done
  bf_check_cluster_id "$cluster"
  bf_check_job_settings
  [[ -n "$jar" ]] || bf_die "--jar FILE is required"
  [[ -f "$jar" ]] || bf_die "--jar: no such file $jar"
  local sha jar_uri
  sha="$(bf_sha256 "$jar")"
  jar_uri="$ARTIFACTS_URI/jars/$(bf_jar_key_name "$jar" "$sha")"

  bf_write_file "$BF_WORK_DIR/steps.json" "[$(bf_fetch_jar_step "$jar_uri" "$sha"),
$(bf_stop_steps CANCEL_AND_WAIT),
$(bf_start_steps "$(basename "$jar_uri")" CONTINUE --from-last-savepoint)]"

  bf_aws s3 cp --only-show-errors "$HERE/job-control.sh" "$ARTIFACTS_URI/emr-bootstrap/job-control.sh"
  bf_aws s3 cp --only-show-errors "$jar" "$jar_uri"
  local step
  bf_add_steps step "$cluster" "$BF_WORK_DIR/steps.json"
  bf_say "upgrade steps added on $cluster; the start step is $step (jar $jar_uri)"
  if "$wait"; then
    bf_wait_step "$cluster" "$step"
    bf_say "upgraded: the job runs $jar_uri"
  fi
}

bf_wants_help "$@" && { usage; exit 0; }
main "$@"
