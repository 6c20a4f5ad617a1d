#!/usr/bin/env bash
# Shows the cluster, its recent steps, and with --job the Flink job itself (a job-control.sh status step).
set -euo pipefail

BF_SCRIPT=status.sh
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$HERE/lib.sh"

usage() {
  cat <<EOF
Usage: deploy/emr-bootstrap/status.sh --config FILE --cluster-id ID [--job] [--dry-run] [--work-dir DIR]

  aws emr describe-cluster   state, release, primary node's DNS name
  aws emr list-steps         the last 10 steps (start, stop, upgrade) and their states
  with --job: a step running job-control.sh status (the YARN application and its Flink jobs), waited for;
  its output lands under \$LOG_URI/<cluster>/steps/<step>/stdout.gz.
The Flink web UI is reached through the YARN ResourceManager on the primary node (port 8088, by an SSH
tunnel: ssh -N -L 8088:localhost:8088 hadoop@<primary DNS>), applications '$BF_APP_NAME' (alerting) and '$BF_INDEX_APP_NAME' (indexing).

Options:
  --cluster-id ID   the EMR cluster (j-...)
  --job             also ask the primary node for the Flink job's own status
$BF_COMMON_HELP
EOF
}

main() {
  local cluster="" job=false
  bf_parse_common "$@"
  set -- "${BF_REST[@]+"${BF_REST[@]}"}"
  while (($#)); do
    case "$1" in
      --cluster-id) cluster=${2:?--cluster-id needs an id}; shift 2 ;;
      --job) job=true; shift ;;
      *) bf_die "unknown option '$1' (see --help)" ;;
    esac
  done
  bf_check_cluster_id "$cluster"
  bf_aws emr describe-cluster --region "$AWS_REGION" --cluster-id "$cluster" \
    --query 'Cluster.{Name:Name,State:Status.State,Reason:Status.StateChangeReason.Message,Release:ReleaseLabel,Primary:MasterPublicDnsName}' \
    --output table
  bf_aws emr list-steps --region "$AWS_REGION" --cluster-id "$cluster" \
    --query 'Steps[0:10].[Id,Name,Status.State,Status.Timeline.StartDateTime]' --output table
  if "$job"; then
    bf_write_file "$BF_WORK_DIR/steps.json" "[$(bf_step_json "Status of $BF_APP_NAME" CONTINUE \
      bash "$BF_NODE_HOME/bin/job-control.sh" status --app-name "$BF_APP_NAME"),
$(bf_step_json "Status of $BF_INDEX_APP_NAME" CONTINUE \
      bash "$BF_NODE_HOME/bin/job-control.sh" status --app-name "$BF_INDEX_APP_NAME")]"
    local step
    bf_add_steps step "$cluster" "$BF_WORK_DIR/steps.json"
    bf_wait_step "$cluster" "$step"
    bf_say "job status: ${LOG_URI%/}/$cluster/steps/$step/stdout.gz"
  fi
}

bf_wants_help "$@" && { usage; exit 0; }
main "$@"
