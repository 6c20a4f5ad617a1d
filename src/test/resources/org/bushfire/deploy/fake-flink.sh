#!/usr/bin/env bash
# A stand-in for the flink CLI in the job-control.sh tests: records each call and answers `list` and
# `stop` the way Flink 1.20 prints them.
set -euo pipefail
line="flink"
for word in "$@"; do line+=" $(printf '%q' "$word")"; done
printf '%s\n' "$line" >>"${FAKE_TOOLS_LOG:?}"
case "${1:-}" in
  list)
    echo "Waiting for response..."
    echo "------------------ Running/Restarting Jobs -------------------"
    echo "21.11.2024 00:00:00 : 8d3f2c1b0a9e8d7c6b5a4f3e2d1c0b9a : bushfire-alerting (RUNNING)"
    echo "--------------------------------------------------------------"
    ;;
  stop)
    echo "Suspending job \"8d3f2c1b0a9e8d7c6b5a4f3e2d1c0b9a\" with a CANONICAL savepoint."
    echo "Savepoint completed. Path: s3://example-bushfire-state/bushfire/savepoints/savepoint-8d3f2c-0123456789ab"
    if [[ -n "${FAKE_YARN_APPS_FILE:-}" ]]; then : >"$FAKE_YARN_APPS_FILE"; fi
    ;;
esac
