#!/usr/bin/env bash
# A stand-in for `yarn application -list` in the job-control.sh tests: prints the applications listed in
# $FAKE_YARN_APPS (lines of "id<TAB>name"), or in the file $FAKE_YARN_APPS_FILE (which the fake flink's
# stop empties, as the application ends), in YARN's tab-separated layout.
set -euo pipefail
printf '%s\n' "yarn $*" >>"${FAKE_TOOLS_LOG:?}"
echo "Total number of applications (application-types: [], states: [SUBMITTED, ACCEPTED, RUNNING] and tags: []):1"
printf '%s\n' "                Application-Id	    Application-Name	    Application-Type	      User	     Queue	             State	       Final-State	       Progress	                       Tracking-URL"
if [[ -n "${FAKE_YARN_APPS_FILE:-}" ]]; then
  FAKE_YARN_APPS="$(cat "$FAKE_YARN_APPS_FILE")"
fi
if [[ -n "${FAKE_YARN_APPS:-}" ]]; then
  while IFS=$'\t' read -r id name; do
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$name" "Apache Flink" hadoop default RUNNING UNDEFINED "100%" "http://ip-10-0-0-1:40000"
  done <<<"$FAKE_YARN_APPS"
fi
