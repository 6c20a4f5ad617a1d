#!/usr/bin/env bash
# Creates the long-running EMR cluster that runs the bushfire alerting job: uploads the node scripts and
# the jar, then `aws emr create-cluster` with Flink, the bootstrap action, Flink's configuration sized
# from the core instance type, and the step that starts the job. --dry-run prints all of it.
set -euo pipefail

BF_SCRIPT=create-cluster.sh
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$HERE/lib.sh"

usage() {
  cat <<EOF
Usage: deploy/emr-bootstrap/create-cluster.sh --config FILE --jar FILE [--dry-run] [--work-dir DIR]

Creates an EMR cluster (Flink on YARN) running the bushfire alerting job:
  1. aws s3 cp  the bootstrap action and job-control.sh  -> \$ARTIFACTS_URI/emr-bootstrap/
  2. aws s3 cp  the job jar                              -> \$ARTIFACTS_URI/jars/<name>-<sha256 prefix>.jar
  3. aws emr create-cluster  release \$RELEASE_LABEL, Flink, primary + core instance groups, log URI,
     the bootstrap action (fetches the jar on every node), Flink's configuration (RocksDB, incremental
     checkpoints to \$STATE_URI, exponential-delay restarts, memory sized from \$CORE_INSTANCE_TYPE), and
     the steps that start the two jobs with the same options as 'bin/bushfire run' (alerting, to SNS)
     and 'bin/bushfire index' (indexing, to Elasticsearch): two YARN applications, so Elasticsearch can
     never hold up alerting.
Prints the new cluster id.

Options:
  --jar FILE        the cluster jar (mvn package: target/bushfire-alerting-<version>.jar)
$BF_COMMON_HELP

TaskManager memory, per core node (all MiB; the arithmetic is printed with every run):
  YARN gets        RAM - max(4096, RAM/4)   (rounded down to 1024): the rest is left to the OS, the page
                   cache RocksDB reads its files through, and EMR's daemons (NodeManager, DataNode, ...)
  JobManagers      2048 each, one per job (alerting, indexing), in containers on core nodes
  TaskManager      (YARN - 2 x JobManager) / 2: every node fits one TaskManager of each job, the
                   JobManagers' node too
  slots            vCPUs / 2 per TaskManager (at least 1);  parallelism of each job = core nodes x slots
Supported core instance types: $(instance_types_help)
EOF
}

# RAM in MiB and vCPUs of the instance types we size for (EC2's published sizes).
instance_shape() {
  case "$1" in
    m5.xlarge | m5a.xlarge | m6i.xlarge | m6g.xlarge | m7g.xlarge | m7i.xlarge) echo "16384 4" ;;
    m5.2xlarge | m5a.2xlarge | m6i.2xlarge | m6g.2xlarge | m7g.2xlarge | m7i.2xlarge) echo "32768 8" ;;
    m5.4xlarge | m5a.4xlarge | m6i.4xlarge | m6g.4xlarge | m7g.4xlarge | m7i.4xlarge) echo "65536 16" ;;
    r5.xlarge | r6i.xlarge | r6g.xlarge | r7g.xlarge) echo "32768 4" ;;
    r5.2xlarge | r6i.2xlarge | r6g.2xlarge | r7g.2xlarge) echo "65536 8" ;;
    c5.2xlarge | c6i.2xlarge | c6g.2xlarge | c7g.2xlarge) echo "16384 8" ;;
    c5.4xlarge | c6i.4xlarge | c6g.4xlarge | c7g.4xlarge) echo "32768 16" ;;
    *) return 1 ;;
  esac
}

instance_types_help() {
  echo "m5/m5a/m6i/m6g/m7g/m7i .xlarge .2xlarge .4xlarge, r5/r6i/r6g/r7g .xlarge .2xlarge," \
    "c5/c6i/c6g/c7g .2xlarge .4xlarge"
}

readonly JOBMANAGER_MIB=2048

# Sets YARN_MIB, TASKMANAGER_MIB, SLOTS, PARALLELISM and prints the arithmetic.
plan_memory() {
  local shape ram vcpus reserved
  shape="$(instance_shape "$CORE_INSTANCE_TYPE")" \
    || bf_die "CORE_INSTANCE_TYPE '$CORE_INSTANCE_TYPE' is not one we size for: $(instance_types_help)"
  read -r ram vcpus <<<"$shape"
  reserved=$((ram / 4 > 4096 ? ram / 4 : 4096))
  YARN_MIB=$(((ram - reserved) / 1024 * 1024))
  # Two YARN applications share every node: one TaskManager of each, and both JobManagers fit beside them.
  TASKMANAGER_MIB=$(((YARN_MIB - 2 * JOBMANAGER_MIB) / 2))
  ((TASKMANAGER_MIB >= 4096)) || bf_die "$CORE_INSTANCE_TYPE leaves a TaskManager only ${TASKMANAGER_MIB} MiB; choose a larger type"
  SLOTS=$((vcpus / 2 > 1 ? vcpus / 2 : 1))
  PARALLELISM=$((CORE_INSTANCE_COUNT * SLOTS))

  # What Flink makes of the TaskManager's process size with its default fractions, shown so that an
  # operator sees where RocksDB's memory comes from.
  local overhead metaspace=256 flink network managed heap
  overhead=$((TASKMANAGER_MIB / 10))
  ((overhead < 192)) && overhead=192
  ((overhead > 1024)) && overhead=1024
  flink=$((TASKMANAGER_MIB - overhead - metaspace))
  network=$((flink / 10))
  ((network > 1024)) && network=1024
  managed=$((flink * 4 / 10))
  heap=$((flink - network - managed - 128))
  cat <<EOF
Memory plan for $CORE_INSTANCE_COUNT x $CORE_INSTANCE_TYPE (${ram} MiB RAM, $vcpus vCPUs each):
  left to the OS, page cache and EMR daemons   max(4096, ${ram}/4)       = ${reserved} MiB
  YARN container memory per node               ${ram} - ${reserved}, floor 1024  = ${YARN_MIB} MiB
  JobManager process, one per job                                       = ${JOBMANAGER_MIB} MiB
  TaskManager process per node and job         (${YARN_MIB} - 2 x ${JOBMANAGER_MIB}) / 2     = ${TASKMANAGER_MIB} MiB
    JVM overhead 10% (192..1024) ${overhead}, metaspace ${metaspace}, Flink memory ${flink}:
    network 10% ${network}, managed 40% ${managed} (RocksDB block cache and write buffers),
    framework off-heap 128, heap (framework 128 + task) ${heap}
  slots per TaskManager = vCPUs / 2 = ${SLOTS};  parallelism of each job = ${CORE_INSTANCE_COUNT} x ${SLOTS} = ${PARALLELISM}
EOF
}

configurations_json() {
  cat <<EOF
[
  {
    "Classification": "flink-conf",
    "Properties": {
      "state.backend.type": "rocksdb",
      "state.backend.incremental": "true",
      "state.checkpoints.dir": "$STATE_URI/checkpoints",
      "state.savepoints.dir": "$STATE_URI/savepoints",
      "state.checkpoints.num-retained": "3",
      "execution.checkpointing.interval": "$CHECKPOINT_INTERVAL",
      "execution.checkpointing.mode": "EXACTLY_ONCE",
      "execution.checkpointing.min-pause": "5s",
      "execution.checkpointing.timeout": "10min",
      "execution.checkpointing.tolerable-failed-checkpoints": "3",
      "execution.checkpointing.externalized-checkpoint-retention": "RETAIN_ON_CANCELLATION",
      "restart-strategy.type": "exponential-delay",
      "restart-strategy.exponential-delay.initial-backoff": "1s",
      "restart-strategy.exponential-delay.max-backoff": "2min",
      "restart-strategy.exponential-delay.backoff-multiplier": "2.0",
      "restart-strategy.exponential-delay.reset-backoff-threshold": "10min",
      "restart-strategy.exponential-delay.jitter-factor": "0.1",
      "jobmanager.memory.process.size": "${JOBMANAGER_MIB}m",
      "taskmanager.memory.process.size": "${TASKMANAGER_MIB}m",
      "taskmanager.numberOfTaskSlots": "$SLOTS",
      "parallelism.default": "$PARALLELISM",
      "pipeline.max-parallelism": "128"
    }
  },
  {
    "Classification": "yarn-site",
    "Properties": {
      "yarn.nodemanager.resource.memory-mb": "$YARN_MIB",
      "yarn.scheduler.maximum-allocation-mb": "$YARN_MIB"
    }
  }
]
EOF
}

instance_groups_json() {
  cat <<EOF
[
  {"Name": "Primary", "InstanceGroupType": "MASTER", "InstanceType": "$PRIMARY_INSTANCE_TYPE", "InstanceCount": 1},
  {"Name": "Core", "InstanceGroupType": "CORE", "InstanceType": "$CORE_INSTANCE_TYPE", "InstanceCount": $CORE_INSTANCE_COUNT,
   "EbsConfiguration": {"EbsOptimized": true, "EbsBlockDeviceConfigs": [
     {"VolumeSpecification": {"VolumeType": "gp3", "SizeInGB": $CORE_EBS_GIB}, "VolumesPerInstance": 1}]}}
]
EOF
}

ec2_attributes_json() {
  local key=""
  [[ -z "$EC2_KEY_NAME" ]] || key=", \"KeyName\": $(bf_json "$EC2_KEY_NAME")"
  printf '{"InstanceProfile": %s, "SubnetId": %s%s}' "$(bf_json "$INSTANCE_PROFILE")" "$(bf_json "$SUBNET_ID")" "$key"
}

bootstrap_actions_json() { # jar-uri sha256
  local args=(--jar "$1" --sha256 "$2" --scripts "$ARTIFACTS_URI/emr-bootstrap")
  [[ -z "$ES_CREDENTIALS_SECRET_ARN" ]] || args+=(--es-credentials-secret "$ES_CREDENTIALS_SECRET_ARN")
  printf '[{"Name": "Install the bushfire alerting job", "Path": %s,\n  "Args": %s}]' \
    "$(bf_json "$ARTIFACTS_URI/emr-bootstrap/bootstrap-action.sh")" "$(bf_json_array "${args[@]}")"
}

main() {
  local jar=""
  bf_parse_common "$@"
  set -- "${BF_REST[@]+"${BF_REST[@]}"}"
  while (($#)); do
    case "$1" in
      --jar) jar=${2:?--jar needs a file}; shift 2 ;;
      --jar=*) jar=${1#*=}; shift ;;
      *) bf_die "unknown option '$1' (see --help)" ;;
    esac
  done
  [[ -n "$jar" ]] || bf_die "--jar FILE is required (mvn package builds target/bushfire-alerting-<version>.jar)"
  [[ -f "$jar" ]] || bf_die "--jar: no such file $jar"
  bf_check_job_settings
  bf_require LOG_URI SUBNET_ID SERVICE_ROLE INSTANCE_PROFILE CLUSTER_NAME RELEASE_LABEL PRIMARY_INSTANCE_TYPE
  bf_check_s3_uri LOG_URI
  [[ "$CORE_INSTANCE_COUNT" =~ ^[1-9][0-9]*$ ]] || bf_die "CORE_INSTANCE_COUNT must be a positive number"
  [[ "$CORE_EBS_GIB" =~ ^[1-9][0-9]*$ ]] || bf_die "CORE_EBS_GIB must be a positive number"
  # Flink 1.20 arrived in emr-7.7.0; the job is compiled against 1.20.
  if [[ ! "$RELEASE_LABEL" =~ ^emr-7\.([0-9]+)\.[0-9]+$ ]] || ((BASH_REMATCH[1] < 7)); then
    bf_die "RELEASE_LABEL must be emr-7.7.0 or later (Flink 1.20 on Java 17), got '$RELEASE_LABEL'"
  fi

  plan_memory

  local sha jar_name jar_uri
  sha="$(bf_sha256 "$jar")"
  jar_name="$(bf_jar_key_name "$jar" "$sha")"
  jar_uri="$ARTIFACTS_URI/jars/$jar_name"

  local dir="$BF_WORK_DIR"
  bf_write_file "$dir/configurations.json" "$(configurations_json)"
  bf_write_file "$dir/instance-groups.json" "$(instance_groups_json)"
  bf_write_file "$dir/ec2-attributes.json" "$(ec2_attributes_json)"
  bf_write_file "$dir/bootstrap-actions.json" "$(bootstrap_actions_json "$jar_uri" "$sha")"
  bf_write_file "$dir/steps.json" "[$(bf_start_steps "$jar_name" CONTINUE)]"

  bf_aws s3 cp --only-show-errors "$HERE/bootstrap-action.sh" "$ARTIFACTS_URI/emr-bootstrap/bootstrap-action.sh"
  bf_aws s3 cp --only-show-errors "$HERE/job-control.sh" "$ARTIFACTS_URI/emr-bootstrap/job-control.sh"
  bf_aws s3 cp --only-show-errors "$jar" "$jar_uri"

  local cluster_id
  bf_aws_capture cluster_id "<cluster-id>" emr create-cluster \
    --region "$AWS_REGION" \
    --name "$CLUSTER_NAME" \
    --release-label "$RELEASE_LABEL" \
    --applications Name=Flink \
    --log-uri "$LOG_URI" \
    --service-role "$SERVICE_ROLE" \
    --ec2-attributes "file://$dir/ec2-attributes.json" \
    --instance-groups "file://$dir/instance-groups.json" \
    --configurations "file://$dir/configurations.json" \
    --bootstrap-actions "file://$dir/bootstrap-actions.json" \
    --steps "file://$dir/steps.json" \
    --tags "application=bushfire-alerting" \
    --query ClusterId --output text
  bf_say "cluster: $cluster_id (jar $jar_uri)"
  bf_say "watch it: deploy/emr-bootstrap/status.sh --config $BF_CONFIG --cluster-id $cluster_id"
}

bf_wants_help "$@" && { usage; exit 0; }
main "$@"
