#!/usr/bin/env bash
# Stops the bushfire alerting job with a savepoint (flink stop, on the primary node, as an EMR step) and
# waits for it. The savepoint's path is recorded on the primary node for upgrade.sh and submit.sh.
set -euo pipefail

BF_SCRIPT=stop.sh
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$HERE/lib.sh"

usage() {
  cat <<EOF
Usage: deploy/emr-bootstrap/stop.sh --config FILE --cluster-id ID [--no-wait] [--dry-run] [--work-dir DIR]

Stops the job with a savepoint under \$STATE_URI/savepoints (flink stop: sources stop, a final savepoint
is taken, sinks flush, the YARN application ends). One EMR step, running job-control.sh stop; waits for it.
The savepoint's path is in the step's output (stdout, under \$LOG_URI/<cluster>/steps/<step>/) and
recorded on the primary node, where 'submit.sh --savepoint PATH' or upgrade.sh resume from it.

Options:
  --cluster-id ID   the EMR cluster (j-...)
  --no-wait         return once the step is added
$BF_COMMON_HELP
EOF
}

main() {
  local cluster="" wait=true
  bf_parse_common "$@"
  set -- "${BF_REST[@]+"${BF_REST[@]}"}"
  while (($#)); do
    case "$1" in
      --cluster-id) cluster=${2:?--cluster-id needs an id}; shift 2 ;;
      --no-wait) wait=false; shift ;;
      *) bf_die "unknown option '$1' (see --help)" ;;
    esac
  done
  bf_check_cluster_id "$cluster"
  bf_write_file "$BF_WORK_DIR/steps.json" "[$(bf_stop_steps CONTINUE)]"
  local step
  bf_add_steps step "$cluster" "$BF_WORK_DIR/steps.json"
  bf_say "stop step: $step on $cluster"
  if "$wait"; then
    bf_wait_step "$cluster" "$step"
    bf_say "stopped; the savepoint's path is in ${LOG_URI%/}/$cluster/steps/$step/stdout.gz (EMR uploads it within minutes)"
  fi
}

bf_wants_help "$@" && { usage; exit 0; }
main "$@"
