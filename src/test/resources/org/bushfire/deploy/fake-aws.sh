#!/usr/bin/env bash
# A stand-in for the AWS CLI in the deploy tests: records each call, one line of shell-quoted words, in
# $FAKE_AWS_LOG, and answers the few calls whose output the scripts use with the same placeholders the
# scripts print in --dry-run, so a real run and a dry run can be compared line by line.
set -euo pipefail
line="aws"
for word in "$@"; do line+=" $(printf '%q' "$word")"; done
printf '%s\n' "$line" >>"${FAKE_AWS_LOG:?FAKE_AWS_LOG must name the call log}"

if [[ -n "${FAKE_AWS_FAIL:-}" && "$line" == *"$FAKE_AWS_FAIL"* ]]; then
  echo "An error occurred (ValidationException): refused by the fake" >&2
  exit 254
fi

case "$1 ${2:-}" in
  "emr create-cluster") echo "<cluster-id>" ;;
  "emr add-steps") echo "<step-id>" ;;
  "secretsmanager get-secret-value") printf 'username=bushfire-job\npassword=from-the-fake-secret\n' ;;
  "s3 cp")
    # the last two words are source and destination; a local destination gets a small known body
    dest="${*: -1}"
    src="${*: -2:1}"
    if [[ "$dest" != s3://* ]]; then
      printf 'fake object %s\n' "$src" >"$dest"
    fi
    ;;
esac
