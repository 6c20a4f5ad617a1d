#!/usr/bin/env bash
# Soak test of the alerting job: the real job graph on a local MiniCluster under a steady simulated load for
# N minutes, printing throughput and heap every few seconds and a verdict on whether the heap stayed flat.
# Not part of CI. Run `scripts/soak.sh --help` for usage.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

usage() {
  cat <<'EOF'
Usage: scripts/soak.sh [--minutes N] [--heap SIZE] [SOAK OPTIONS...]

Runs the real alerting job (org.bushfire.job.AlertingJob, checkpointing) on a local MiniCluster for N
minutes under a steady load of simulated sensors, and samples every 10 s: readings per second through the
job, alerts so far, simulated time, heap used, live heap after a forced GC, committed heap. At the end it
compares the live heap of the early and the late part of the run (after a warm-up) and says FLAT or
GROWING. Sensors report once per simulated minute and simulated time runs faster than the clock, so a few
minutes cover many --state-retention periods: state that is never forgotten shows up as growth.

Options:
  --minutes N          how long to soak [10]
  --heap SIZE          JVM heap, -Xmx/-Xms, for the whole local cluster [1g]
  --help, -h           this text
Options passed on to the soak run (org.bushfire.bench.SoakRun):
  --sensors N          sensors, in networks of 100 [1000]
  --speedup N          simulated seconds per second; readings/s = sensors x speedup / 60 [300]
  --fire-every M       simulated minutes between fires, each in the next network [1]
  --parallelism P      [2]
  --sample-seconds S   [10]
  --checkpoint-interval DURATION  [10s]
  --state-retention DURATION      in simulated time [2h]
  --max-growth-percent P          growth still called flat [10]

Exit status: 0 flat (or too short to tell), 3 growing, 1 the job failed, 2 bad options.
Needs Java 17+ and Maven (bin/bushfire builds the classes on first use). No services, no network.
Example: scripts/soak.sh --minutes 3
EOF
}

die() {
  printf 'soak.sh: %s\n' "$*" >&2
  exit 2
}

minutes=10
heap=1g
passed=()
while (($#)); do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --minutes)
      (($# >= 2)) || die "--minutes needs a value"
      minutes="$2"
      shift 2
      ;;
    --heap)
      (($# >= 2)) || die "--heap needs a value"
      heap="$2"
      shift 2
      ;;
    --sensors | --speedup | --fire-every | --parallelism | --sample-seconds | --checkpoint-interval | --state-retention | --max-growth-percent)
      (($# >= 2)) || die "$1 needs a value"
      passed+=("$1" "$2")
      shift 2
      ;;
    *)
      die "unknown option '$1' (see --help)"
      ;;
  esac
done
[[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--minutes must be a number, got '$minutes'"
[[ "$heap" =~ ^[0-9]+[mMgG]$ ]] || die "--heap must look like 512m or 1g, got '$heap'"

# bin/bushfire compiles the classes and writes the classpath when they are missing or out of date.
"$ROOT/bin/bushfire" --version >/dev/null
exec java "-Xms$heap" "-Xmx$heap" \
  -Dlog4j.configurationFile="$ROOT/conf/log4j2-cli.properties" \
  -cp "$ROOT/target/classes:$(cat "$ROOT/target/classpath.txt")" \
  org.bushfire.bench.SoakRun --minutes "$minutes" "${passed[@]}"
