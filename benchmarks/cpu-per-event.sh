#!/usr/bin/env bash
# CPU per event of every process of the local stack (./run.sh) under a closed-loop wrk load of
# single-event POSTs: each process's CPU from the start of the load to SETTLE seconds after it,
# divided by the POSTs answered. Needs wrk (Debian package) and INGEST_TOKEN from ./run.sh.
#   INGEST_TOKEN=... benchmarks/cpu-per-event.sh [connections=1] [seconds=20]
# Measure after a long warm-up at the same rate: the JIT compilers keep working for the first few
# hundred thousand events, and a change of batch sizes makes them recompile.
set -euo pipefail
connections=${1:-1}
seconds=${2:-20}
settle=${SETTLE:-8}
url=${INGEST_URL:-http://127.0.0.1:8081/api/v1/events}
script="$(dirname "$0")/wrk/post-event.lua"
hz=$(getconf CLK_TCK)
snapshot() {
  for pid in $(pgrep -f 'java|postgres'); do
    [ -r "/proc/$pid/stat" ] && echo "$pid $(awk '{print $14+$15}' "/proc/$pid/stat")"
  done | sort
}
before=$(mktemp); after=$(mktemp); out=$(mktemp)
trap 'rm -f "$before" "$after" "$out"' EXIT
snapshot > "$before"
wrk -t1 -c"$connections" -d"${seconds}s" -s "$script" "$url" > "$out"
sleep "$settle"
snapshot > "$after"
requests=$(awk '/requests in/ {print $1}' "$out")
grep -E "Latency|Requests/sec|Non-2xx" "$out" || true
join "$before" "$after" | while read -r pid a b; do
  [ $((b - a)) -gt 0 ] || continue
  name=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null \
    | grep -oE 'ingest-service|feed-service|social-service|kafka\.Kafka|LocalStack|^postgres' | head -1 || true)
  echo "${name:-other} $((b - a))"
done | awk -v n="$requests" -v hz="$hz" '
  { cpu[$1] += $2; total += $2 }
  END { for (p in cpu) printf "%-16s %.3f ms/event\n", p, cpu[p] * 1000 / hz / n
        printf "%-16s %.3f ms/event (%d POSTs)\n", "all", total * 1000 / hz / n, n }' | sort
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
