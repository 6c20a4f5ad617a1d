#!/usr/bin/env bash
# Imports the bushfire dashboards (index patterns, heat map, sensor map, alerts table, dashboard) into
# Kibana 7.10+ or OpenSearch Dashboards through the saved-objects import API. Objects keep fixed ids, so
# importing again overwrites them instead of adding copies.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OBJECTS="$HERE/bushfire-dashboards.ndjson"

usage() {
  cat <<'EOF'
Usage: dashboards/import.sh [--kibana URL] [--space ID] [--dry-run]

POSTs dashboards/bushfire-dashboards.ndjson to URL/api/saved_objects/_import?overwrite=true
(URL/s/ID/api/... for a Kibana space) and fails unless every object was imported.

Options:
  --kibana URL   Kibana or OpenSearch Dashboards base URL (default: $KIBANA_URL, else http://127.0.0.1:5601)
  --space ID     Kibana space to import into (default: the default space)
  --dry-run      print the curl call, send nothing
  -h, --help     this text

Credentials, when the server needs them, come from the environment (never the command line):
  KIBANA_USERNAME and KIBANA_PASSWORD   basic authentication
  KIBANA_API_KEY                        an Elasticsearch API key (id:key, base64-encoded as Kibana expects)
The index patterns are 'sensor-readings*' (time field eventTime) and 'bushfire-alerts*' (completedTime):
the job's default index names. A job run with other --es-readings-index/--es-alerts-index needs the
patterns' titles changed after import.
EOF
}

die() {
  printf 'import.sh: %s\n' "$*" >&2
  exit 2
}

quote() {
  local out="" word
  for word in "$@"; do out+="$(printf '%q' "$word") "; done
  printf '%s' "${out% }"
}

main() {
  local kibana="${KIBANA_URL:-http://127.0.0.1:5601}" space="" dry_run=false
  while (($#)); do
    case "$1" in
      --kibana) kibana=${2:?--kibana needs a URL}; shift 2 ;;
      --space) space=${2:?--space needs an id}; shift 2 ;;
      --dry-run) dry_run=true; shift ;;
      -h | --help) usage; exit 0 ;;
      *) die "unknown option '$1' (see --help)" ;;
    esac
  done
  [[ "$kibana" =~ ^https?://[^/@[:space:]]+(/[^[:space:]]*)?$ ]] || die "--kibana must be an http(s) URL without credentials, got '$kibana'"
  [[ -z "$space" || "$space" =~ ^[a-z0-9_-]+$ ]] || die "--space must be a Kibana space id, got '$space'"
  [[ -f "$OBJECTS" ]] || die "missing $OBJECTS"
  kibana="${kibana%/}"
  local url="$kibana${space:+/s/$space}/api/saved_objects/_import?overwrite=true"

  # kbn-xsrf for Kibana, osd-xsrf for OpenSearch Dashboards; each ignores the other's.
  local cmd=(curl --silent --show-error --fail-with-body --max-time 60 -X POST "$url"
    -H "kbn-xsrf: bushfire-import" -H "osd-xsrf: bushfire-import" --form "file=@$OBJECTS")
  # Credentials go to curl on its standard input (-K -), so they never show in ps or in this output.
  local auth=""
  if [[ -n "${KIBANA_API_KEY:-}" ]]; then
    auth="header = \"Authorization: ApiKey ${KIBANA_API_KEY}\""
  elif [[ -n "${KIBANA_USERNAME:-}" ]]; then
    auth="user = \"${KIBANA_USERNAME}:${KIBANA_PASSWORD:?KIBANA_PASSWORD is needed with KIBANA_USERNAME}\""
  fi
  cmd+=(-K -)
  printf '+ %s\n' "$(quote "${cmd[@]}")"
  "$dry_run" && return 0

  local response
  response="$(printf '%s\n' "$auth" | "${cmd[@]}")" || die "the import request failed: ${response:-no response}"
  printf '%s\n' "$response"
  # {"success":true,"successCount":7} — anything else lists the objects that failed.
  [[ "$response" =~ \"success\":[[:space:]]*true ]] || die "not every object was imported (see the response above)"
  local expected
  expected="$(grep -c . "$OBJECTS")"
  [[ "$response" =~ \"successCount\":[[:space:]]*${expected}[^0-9] ]] \
    || die "expected $expected objects imported (see the response above)"
  printf 'imported %s saved objects into %s\n' "$expected" "$kibana${space:+ (space $space)}"
}

main "$@"
