#!/usr/bin/env bash
# The bushfire alerting job's life on the EMR primary node: start it on YARN (application mode), stop it
# with a savepoint, show its status. EMR steps run it (command-runner.jar, as the hadoop user); the
# bootstrap action installs it. It is the one place that builds the `flink run-application` command line.
# Self-contained on purpose: it runs on the node, where the operator scripts are not.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: job-control.sh COMMAND [OPTIONS]

Commands:
  start --jar FILE [--app-name NAME] [--ship-file FILE] [--savepoint PATH | --from-last-savepoint]
        -- JOB ARGS...
      Runs `flink run-application -t yarn-application ... FILE JOB ARGS...` (JOB ARGS start with the
      job's command: `run` for the alerting job, `index` for the indexing job). Refuses when a YARN application NAME is already running, so a step that is
      retried never starts a second copy. --from-last-savepoint resumes from the savepoint the last
      `stop` on this node recorded.
  stop [--app-name NAME] --savepoint-dir URI
      Stops the running job with a savepoint under URI (`flink stop`), records the savepoint's path for
      --from-last-savepoint, prints it, and waits for the YARN application to end.
  status [--app-name NAME]
      The YARN application and the Flink jobs in it.
  last-savepoint [--app-name NAME]
      Prints the savepoint path the last `stop` of application NAME recorded.

Options:
  --app-name NAME   YARN application name (default: bushfire-alerting)
  --dry-run         print the commands, run nothing (ids found at run time are shown as <...>)
  -h, --help        this text

Environment: BUSHFIRE_NODE_HOME (default /home/hadoop/bushfire) holds state/NAME.last-savepoint;
BUSHFIRE_STOP_WAIT_SECONDS (default 120): how long stop waits for the YARN application to end;
FLINK (default: flink on the PATH) and YARN (default: yarn) name the two command-line tools.
EOF
}

NODE_HOME="${BUSHFIRE_NODE_HOME:-/home/hadoop/bushfire}"
FLINK="${FLINK:-flink}"
YARN="${YARN:-yarn}"
APP_NAME=bushfire-alerting
DRY_RUN=false
STOP_WAIT_SECONDS="${BUSHFIRE_STOP_WAIT_SECONDS:-120}"

say() { printf '%s\n' "$*"; }
die() {
  printf 'job-control.sh: %s\n' "$*" >&2
  exit 2
}

quote() {
  local out="" word
  for word in "$@"; do out+="$(printf '%q' "$word") "; done
  printf '%s' "${out% }"
}

run() {
  say "+ $(quote "$@")"
  "$DRY_RUN" || "$@"
}

# The id of the running (or starting) YARN application named APP_NAME, or nothing.
application_id() {
  if "$DRY_RUN"; then
    say "+ $(quote "$YARN" application -list -appStates SUBMITTED,ACCEPTED,RUNNING)" >&2
    echo "<application-id>"
    return
  fi
  "$YARN" application -list -appStates SUBMITTED,ACCEPTED,RUNNING 2>/dev/null \
    | awk -F'\t' -v name="$APP_NAME" '
        { for (i = 1; i <= NF; i++) gsub(/^[ ]+|[ ]+$/, "", $i) }
        $1 ~ /^application_/ && $2 == name { print $1 }'
}

# The id of the RUNNING Flink job in the application.
running_job_id() { # application-id
  if "$DRY_RUN"; then
    say "+ $(quote "$FLINK" list -r -t yarn-application "-Dyarn.application.id=$1")" >&2
    echo "<job-id>"
    return
  fi
  "$FLINK" list -r -t yarn-application "-Dyarn.application.id=$1" 2>/dev/null \
    | sed -n 's/^.* : \([0-9a-f]\{32\}\) : .*(RUNNING)[[:space:]]*$/\1/p'
}

# Where the last savepoint of APP_NAME is recorded: one file per application, since two jobs run.
savepoint_record() {
  printf '%s' "$NODE_HOME/state/$APP_NAME.last-savepoint"
}

start() {
  local jar="" ship=() savepoint="" from_last=false
  while (($#)); do
    case "$1" in
      --jar) jar=${2:?--jar needs a file}; shift 2 ;;
      --app-name) APP_NAME=${2:?--app-name needs a name}; shift 2 ;;
      --ship-file) ship+=("${2:?--ship-file needs a file}"); shift 2 ;;
      --savepoint) savepoint=${2:?--savepoint needs a path}; shift 2 ;;
      --from-last-savepoint) from_last=true; shift ;;
      --dry-run) DRY_RUN=true; shift ;;
      --) shift; break ;;
      *) die "start: unknown option '$1' (job arguments go after --)" ;;
    esac
  done
  (($#)) || die "start: the job's arguments are missing (after --, starting with 'run')"
  [[ -n "$jar" ]] || die "start: --jar FILE is required"
  "$DRY_RUN" || [[ -f "$jar" ]] || die "start: no jar at $jar (did the bootstrap action or the fetch step run?)"
  if "$from_last"; then
    [[ -z "$savepoint" ]] || die "start: --savepoint and --from-last-savepoint exclude each other"
    if "$DRY_RUN"; then
      savepoint="<last-savepoint>"
    else
      local record
      record="$(savepoint_record)"
      # Recorded before the indexing job had its own application: that savepoint was the alerting job's.
      if [[ ! -s "$record" && "$APP_NAME" == bushfire-alerting && -s "$NODE_HOME/state/last-savepoint" ]]; then
        record="$NODE_HOME/state/last-savepoint"
      fi
      [[ -s "$record" ]] || die "start: no savepoint recorded in $record"
      savepoint="$(<"$record")"
    fi
  fi

  local running
  running="$(application_id)"
  if [[ -n "$running" ]] && ! "$DRY_RUN"; then
    die "start: YARN application '$APP_NAME' is already running ($running); stop it first"
  fi

  local cmd=("$FLINK" run-application -t yarn-application "-Dyarn.application.name=$APP_NAME")
  if ((${#ship[@]})); then
    local joined
    joined="$(IFS=';' && echo "${ship[*]}")"
    cmd+=("-Dyarn.ship-files=$joined")
  fi
  [[ -z "$savepoint" ]] || cmd+=(--fromSavepoint "$savepoint")
  cmd+=("$jar" "$@")
  run "${cmd[@]}"
}

stop() {
  local dir=""
  while (($#)); do
    case "$1" in
      --app-name) APP_NAME=${2:?--app-name needs a name}; shift 2 ;;
      --savepoint-dir) dir=${2:?--savepoint-dir needs a URI}; shift 2 ;;
      --dry-run) DRY_RUN=true; shift ;;
      *) die "stop: unknown option '$1'" ;;
    esac
  done
  [[ -n "$dir" ]] || die "stop: --savepoint-dir URI is required"
  local app job
  app="$(application_id)"
  [[ -n "$app" ]] || die "stop: no running YARN application named '$APP_NAME'"
  job="$(running_job_id "$app")"
  [[ -n "$job" ]] || die "stop: no RUNNING Flink job in $app"
  local cmd=("$FLINK" stop --savepointPath "$dir" -t yarn-application "-Dyarn.application.id=$app" "$job")
  say "+ $(quote "${cmd[@]}")"
  if "$DRY_RUN"; then
    say "+ (the savepoint path it prints) > $(savepoint_record)"
    return
  fi
  local output path
  output="$("${cmd[@]}" 2>&1)" || {
    printf '%s\n' "$output" >&2
    die "stop: flink stop failed; the job keeps running"
  }
  printf '%s\n' "$output"
  path="$(printf '%s\n' "$output" | sed -n 's/^Savepoint completed\. Path: \(.*\)$/\1/p' | tail -n 1)"
  [[ -n "$path" ]] || die "stop: flink stop did not report a savepoint path"
  mkdir -p "$NODE_HOME/state"
  printf '%s\n' "$path" >"$(savepoint_record)"
  say "savepoint: $path"
  # The application master ends shortly after its only job has stopped; a start right after (upgrade)
  # must not find it still RUNNING.
  local waited=0
  while [[ -n "$(application_id)" ]] && ((waited < STOP_WAIT_SECONDS)); do
    sleep 2
    waited=$((waited + 2))
  done
  if [[ -n "$(application_id)" ]]; then
    say "warning: YARN application $app still listed $STOP_WAIT_SECONDS s after the stop; a start now would be refused"
  fi
}

status() {
  while (($#)); do
    case "$1" in
      --app-name) APP_NAME=${2:?--app-name needs a name}; shift 2 ;;
      --dry-run) DRY_RUN=true; shift ;;
      *) die "status: unknown option '$1'" ;;
    esac
  done
  local app
  app="$(application_id)"
  if [[ -z "$app" ]]; then
    say "$APP_NAME: not running"
    return 3
  fi
  say "$APP_NAME: YARN application $app"
  run "$FLINK" list -t yarn-application "-Dyarn.application.id=$app"
}

main() {
  local command=${1:-}
  (($#)) && shift
  local arg
  for arg in "$@"; do
    [[ "$arg" == "--" ]] && break
    [[ "$arg" == "--dry-run" ]] && DRY_RUN=true
  done
  case "$command" in
    start) start "$@" ;;
    stop) stop "$@" ;;
    status) status "$@" ;;
    last-savepoint)
      [[ "${1:-}" != --app-name ]] || APP_NAME=${2:?--app-name needs a name}
      cat "$(savepoint_record)"
      ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
