# shellcheck shell=bash
# shellcheck disable=SC2034 # settings and results set here are read by the scripts that source this file
# Shared by the operator-side EMR scripts (create-cluster, submit, stop, upgrade, status, iam-policy): the
# deployment settings file, the one way AWS is called (printed first, skipped in --dry-run), and the pieces
# every script builds the same way — the job's options, the start step, the node paths.
# The node-side scripts (bootstrap-action.sh, job-control.sh) are self-contained: EMR copies one file to a node.

# Where the bootstrap action installs things on every node (job-control.sh and the jars live here).
readonly BF_NODE_HOME=/home/hadoop/bushfire
# The YARN application names the two jobs run under; job-control.sh finds a running job by its name.
# Alerting (`bushfire run`: Kinesis to SNS) and indexing (`bushfire index`: Kinesis to Elasticsearch) are
# separate Flink jobs so that Elasticsearch can never fail, slow down or restart the alerting job.
readonly BF_APP_NAME=bushfire-alerting
readonly BF_INDEX_APP_NAME=bushfire-indexing
readonly BF_JOBS=(run index)

BF_DRY_RUN=false
BF_CONFIG=""
BF_WORK_DIR=""

bf_say() { printf '%s\n' "$*"; }
bf_warn() { printf '%s: %s\n' "${BF_SCRIPT:-bushfire-emr}" "$*" >&2; }
bf_die() {
  bf_warn "$*"
  exit 2
}

# One line of shell words, quoted so that it can be pasted back into bash.
bf_quote() {
  local out="" word
  for word in "$@"; do
    out+="$(printf '%q' "$word") "
  done
  printf '%s' "${out% }"
}

# Every AWS call goes through here: printed as '+ aws ...', run unless --dry-run.
bf_aws() {
  bf_say "+ $(bf_quote aws "$@")"
  if ! "$BF_DRY_RUN"; then
    aws "$@"
  fi
}

# bf_aws_capture VAR PLACEHOLDER ARGS...: like bf_aws, keeping the call's output in VAR. In --dry-run
# nothing runs and VAR holds PLACEHOLDER, so the calls that use it still print completely.
bf_aws_capture() {
  local -n bf_result=$1
  local placeholder=$2
  shift 2
  bf_say "+ $(bf_quote aws "$@")"
  if "$BF_DRY_RUN"; then
    bf_result=$placeholder
  else
    bf_result=$(aws "$@")
  fi
}

# Writes a generated file (JSON the AWS CLI reads with file://) and shows it, so a dry run prints all of
# what would be sent.
bf_write_file() { # path content
  printf '%s\n' "$2" >"$1"
  bf_say "--- $1"
  printf '%s\n' "$2"
  bf_say "--- end of $(basename "$1")"
}

# ---------------------------------------------------------------- settings

# Every key the settings file may hold (see bushfire-emr.conf.example for what each means).
readonly BF_KEYS=(AWS_REGION ACCOUNT_ID CLUSTER_NAME RELEASE_LABEL ARTIFACTS_URI STATE_URI LOG_URI
  PRIMARY_INSTANCE_TYPE CORE_INSTANCE_TYPE CORE_INSTANCE_COUNT CORE_EBS_GIB SUBNET_ID EC2_KEY_NAME
  SERVICE_ROLE INSTANCE_PROFILE INSTANCE_ROLE KINESIS_STREAM SNS_TOPIC_ARN ES_DOMAIN ES_ENDPOINT
  ES_CREDENTIALS_SECRET_ARN ES_SIGV4 CHECKPOINT_INTERVAL JOB_NAME JOB_OPTIONS ALERT_JOB_OPTIONS INDEX_JOB_OPTIONS)

bf_defaults() {
  CLUSTER_NAME=bushfire-alerting
  # emr-7.13.0 ships Flink 1.20.0-amzn-7 (EMR Release Guide, "Flink release history"); 7.7.0 is the first
  # 7.x release with Flink 1.20, and from 7.1.0 on Flink runs on Java 17 by default ("Configure applications
  # to use a specific Java Virtual Machine").
  RELEASE_LABEL=emr-7.13.0
  PRIMARY_INSTANCE_TYPE=m5.xlarge
  CORE_INSTANCE_TYPE=m5.xlarge
  CORE_INSTANCE_COUNT=2
  CORE_EBS_GIB=64
  EC2_KEY_NAME=""
  SERVICE_ROLE=EMR_DefaultRole_V2
  INSTANCE_PROFILE=bushfire-emr-instance-profile
  INSTANCE_ROLE=bushfire-emr-instance-role
  ES_CREDENTIALS_SECRET_ARN=""
  ES_SIGV4=false
  CHECKPOINT_INTERVAL=30s
  JOB_NAME=bushfire-alerting
  JOB_OPTIONS=""
  ALERT_JOB_OPTIONS=""
  INDEX_JOB_OPTIONS=""
}

# KEY=VALUE lines, '#' comments; values are taken literally (nothing is expanded or executed).
bf_load_config() { # file
  local file=$1 line key value n=0
  [[ -f "$file" ]] || bf_die "settings file not found: $file (start from deploy/emr-bootstrap/bushfire-emr.conf.example)"
  while IFS= read -r line || [[ -n "$line" ]]; do
    n=$((n + 1))
    line="${line#"${line%%[![:space:]]*}"}"
    [[ -z "$line" || "$line" == \#* ]] && continue
    [[ "$line" == *=* ]] || bf_die "$file:$n: expected KEY=VALUE, got '$line'"
    key="${line%%=*}"
    value="${line#*=}"
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
      value="${BASH_REMATCH[1]}"
    fi
    bf_known_key "$key" || bf_die "$file:$n: unknown setting '$key' (known: ${BF_KEYS[*]})"
    printf -v "$key" '%s' "$value"
  done <"$file"
}

bf_known_key() {
  local k
  for k in "${BF_KEYS[@]}"; do
    [[ "$k" == "$1" ]] && return 0
  done
  return 1
}

bf_require() { # key...
  local key
  for key in "$@"; do
    [[ -n "${!key:-}" ]] || bf_die "setting $key is required (in $BF_CONFIG)"
  done
}

bf_check_s3_uri() { # key
  [[ "${!1}" =~ ^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$ ]] || bf_die "$1 must be an s3://bucket/prefix URI, got '${!1}'"
}

# Validates what every script needs; each script adds its own checks.
bf_check_common() {
  bf_require AWS_REGION ACCOUNT_ID ARTIFACTS_URI STATE_URI
  [[ "$AWS_REGION" =~ ^[a-z]{2}(-gov)?-[a-z]+-[0-9]$ ]] || bf_die "AWS_REGION looks wrong: '$AWS_REGION'"
  [[ "$ACCOUNT_ID" =~ ^[0-9]{12}$ ]] || bf_die "ACCOUNT_ID must be 12 digits, got '$ACCOUNT_ID'"
  bf_check_s3_uri ARTIFACTS_URI
  bf_check_s3_uri STATE_URI
  ARTIFACTS_URI="${ARTIFACTS_URI%/}"
  STATE_URI="${STATE_URI%/}"
}

bf_check_job_settings() {
  bf_require KINESIS_STREAM SNS_TOPIC_ARN ES_ENDPOINT CHECKPOINT_INTERVAL JOB_NAME
  [[ "$SNS_TOPIC_ARN" =~ ^arn:aws[a-z-]*:sns:${AWS_REGION}:${ACCOUNT_ID}:[A-Za-z0-9_-]+(\.fifo)?$ ]] \
    || bf_die "SNS_TOPIC_ARN must be a topic of account $ACCOUNT_ID in $AWS_REGION, got '$SNS_TOPIC_ARN'"
  [[ "$ES_ENDPOINT" =~ ^https?://[^/@[:space:]]+$ ]] \
    || bf_die "ES_ENDPOINT must be http(s)://host[:port] with no credentials or path, got '$ES_ENDPOINT'"
  # One unit only: the value goes both to the job (--checkpoint-interval) and to Flink's own configuration,
  # and the two parsers agree on ms, s, m (minutes) and h.
  [[ "$CHECKPOINT_INTERVAL" =~ ^[1-9][0-9]*(ms|s|m|h)$ ]] \
    || bf_die "CHECKPOINT_INTERVAL must look like 30s, 1m or 500ms, got '$CHECKPOINT_INTERVAL'"
  [[ "$JOB_NAME" =~ ^[A-Za-z0-9._-]+$ ]] || bf_die "JOB_NAME may use letters, digits, . _ - only, got '$JOB_NAME'"
  [[ "$ES_SIGV4" == true || "$ES_SIGV4" == false ]] || bf_die "ES_SIGV4 must be true or false, got '$ES_SIGV4'"
  if [[ "$ES_SIGV4" == true && -n "$ES_CREDENTIALS_SECRET_ARN" ]]; then
    bf_die "ES_SIGV4=true signs with the instance role; it excludes ES_CREDENTIALS_SECRET_ARN (fine-grained access users)"
  fi
  if [[ -n "$ES_CREDENTIALS_SECRET_ARN" ]]; then
    [[ "$ES_CREDENTIALS_SECRET_ARN" =~ ^arn:aws[a-z-]*:secretsmanager:${AWS_REGION}:${ACCOUNT_ID}:secret:.+$ ]] \
      || bf_die "ES_CREDENTIALS_SECRET_ARN must be a Secrets Manager secret ARN, got '$ES_CREDENTIALS_SECRET_ARN'"
  fi
}

# ---------------------------------------------------------------- the job

# The YARN application of a job: run (alerting) or index (indexing).
bf_app_name() { # run|index
  case "$1" in
    run) printf '%s' "$BF_APP_NAME" ;;
    index) printf '%s' "$BF_INDEX_APP_NAME" ;;
    *) bf_die "internal: no job '$1'" ;;
  esac
}

# The options `bushfire run` / `bushfire index` get on the cluster: exactly what bin/bushfire takes locally.
# JOB_OPTIONS go to both (the alerting options must agree, or the two jobs' alertIds would differ);
# ALERT_JOB_OPTIONS only to run, INDEX_JOB_OPTIONS only to index.
# Credentials never appear here: AWS ones come from the instance profile, Elasticsearch ones from a file the
# bootstrap action fetched from Secrets Manager, shipped into the indexing job's YARN containers.
bf_job_args() { # nameref of an array to fill, run|index
  local -n bf_args=$1
  local kind=$2 extra
  bf_args=("$kind"
    --stream "$KINESIS_STREAM"
    --region "$AWS_REGION")
  if [[ "$kind" == run ]]; then
    bf_args+=(--sns-topic-arn "$SNS_TOPIC_ARN" --job-name "$JOB_NAME")
  else
    bf_args+=(--es-hosts "$ES_ENDPOINT" --job-name "$JOB_NAME-indexing")
    if [[ -n "$ES_CREDENTIALS_SECRET_ARN" ]]; then
      # A relative path: resolved in the JobManager's container, where yarn.ship-files put the file.
      bf_args+=(--es-credentials-file es-credentials)
    fi
    if [[ "$ES_SIGV4" == true ]]; then
      # A domain whose access policy names the instance role: every request signed with its credentials.
      bf_args+=(--es-sigv4-region "$AWS_REGION")
    fi
  fi
  bf_args+=(--checkpoint-interval "$CHECKPOINT_INTERVAL")
  local options="$JOB_OPTIONS"
  if [[ "$kind" == run ]]; then
    options+=" $ALERT_JOB_OPTIONS"
  else
    options+=" $INDEX_JOB_OPTIONS"
  fi
  read -r -a extra <<<"$options"
  bf_args+=("${extra[@]+"${extra[@]}"}")
}

# Immutable S3 key of a jar: version and content hash in the name, so an upgrade never overwrites what a
# running cluster or a retained checkpoint was started from.
bf_jar_key_name() { # local jar path, sha256
  local base
  base="$(basename "$1" .jar)"
  printf '%s-%s.jar' "$base" "${2:0:12}"
}

bf_sha256() {
  sha256sum "$1" | cut -d' ' -f1
}

# JSON string of one value (for the generated files; values are checked settings, this only escapes).
bf_json() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

bf_json_array() {
  local out="[" first=true word
  for word in "$@"; do
    "$first" || out+=", "
    first=false
    out+="$(bf_json "$word")"
  done
  printf '%s]' "$out"
}

# A command-runner step (EMR runs it on the primary node as the hadoop user).
bf_step_json() { # name action-on-failure args...
  local name=$1 action=$2
  shift 2
  printf '{"Type": "CUSTOM_JAR", "Name": %s, "ActionOnFailure": %s, "Jar": "command-runner.jar",\n  "Args": %s}' \
    "$(bf_json "$name")" "$(bf_json "$action")" "$(bf_json_array "$@")"
}

# The step that re-runs the bootstrap action on the primary node to fetch another jar (submit, upgrade).
bf_fetch_jar_step() { # jar-uri sha256
  local args=(bash "$BF_NODE_HOME/bin/bootstrap-action.sh" --jar "$1" --sha256 "$2"
    --scripts "$ARTIFACTS_URI/emr-bootstrap")
  [[ -z "$ES_CREDENTIALS_SECRET_ARN" ]] || args+=(--es-credentials-secret "$ES_CREDENTIALS_SECRET_ARN")
  bf_step_json "Fetch $(basename "$1")" CANCEL_AND_WAIT "${args[@]}"
}

# The step that starts one job on YARN (application mode) through job-control.sh.
bf_start_step() { # run|index jar-file-name action-on-failure [start options...]
  local kind=$1 jar=$2 action=$3 app
  shift 3
  app="$(bf_app_name "$kind")"
  local job_args
  bf_job_args job_args "$kind"
  local args=(bash "$BF_NODE_HOME/bin/job-control.sh" start --jar "$BF_NODE_HOME/jars/$jar" --app-name "$app")
  if [[ "$kind" == index && -n "$ES_CREDENTIALS_SECRET_ARN" ]]; then
    args+=(--ship-file "$BF_NODE_HOME/conf/es-credentials")
  fi
  args+=("$@" -- "${job_args[@]}")
  bf_step_json "Start $app" "$action" "${args[@]}"
}

# The start steps of both jobs, comma-separated for a JSON array.
bf_start_steps() { # jar-file-name action-on-failure [start options...]
  printf '%s,\n%s' "$(bf_start_step run "$@")" "$(bf_start_step index "$@")"
}

bf_stop_step() { # run|index action-on-failure
  local app
  app="$(bf_app_name "$1")"
  bf_step_json "Stop $app with a savepoint" "$2" \
    bash "$BF_NODE_HOME/bin/job-control.sh" stop --app-name "$app" --savepoint-dir "$STATE_URI/savepoints/$app"
}

bf_stop_steps() { # action-on-failure
  printf '%s,\n%s' "$(bf_stop_step run "$1")" "$(bf_stop_step index "$1")"
}

# ---------------------------------------------------------------- command line

# Parses the options every operator script shares; the rest stays in BF_REST.
bf_parse_common() {
  BF_REST=()
  while (($#)); do
    case "$1" in
      --config) BF_CONFIG=${2:?--config needs a file}; shift 2 ;;
      --config=*) BF_CONFIG=${1#*=}; shift ;;
      --dry-run) BF_DRY_RUN=true; shift ;;
      --work-dir) BF_WORK_DIR=${2:?--work-dir needs a folder}; shift 2 ;;
      --work-dir=*) BF_WORK_DIR=${1#*=}; shift ;;
      *) BF_REST+=("$1"); shift ;;
    esac
  done
  [[ -n "$BF_CONFIG" ]] || bf_die "--config FILE is required (see --help)"
  bf_defaults
  bf_load_config "$BF_CONFIG"
  bf_check_common
  if [[ -z "$BF_WORK_DIR" ]]; then
    BF_WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/bushfire-emr.XXXXXX")"
  fi
  mkdir -p "$BF_WORK_DIR"
  if ! "$BF_DRY_RUN"; then
    command -v aws >/dev/null 2>&1 || bf_die "the AWS CLI (aws) is not on the PATH; --dry-run shows the calls without it"
  fi
}

# True when -h/--help is among the arguments.
bf_wants_help() {
  local arg
  for arg in "$@"; do
    [[ "$arg" == "-h" || "$arg" == "--help" ]] && return 0
  done
  return 1
}

# Adds the steps in FILE to the cluster; VAR gets the id of the last one.
bf_add_steps() { # var cluster-id file
  bf_aws_capture "$1" "<step-id>" emr add-steps --region "$AWS_REGION" --cluster-id "$2" \
    --steps "file://$3" --query 'StepIds[-1]' --output text
}

bf_wait_step() { # cluster-id step-id
  bf_say "waiting for step $2 (aws emr wait polls every 30 s, for up to an hour)..."
  bf_aws emr wait step-complete --region "$AWS_REGION" --cluster-id "$1" --step-id "$2"
}

bf_check_cluster_id() { # value
  [[ "$1" =~ ^j-[A-Z0-9]{8,16}$ ]] || bf_die "--cluster-id must look like j-XXXXXXXXXXXXX, got '$1'"
}

readonly BF_COMMON_HELP="Common options:
  --config FILE     deployment settings (copy deploy/emr-bootstrap/bushfire-emr.conf.example)
  --dry-run         print every AWS CLI call (and the files they read) without running any
  --work-dir DIR    where generated JSON files go (default: a new temporary folder)
  -h, --help        this text"
