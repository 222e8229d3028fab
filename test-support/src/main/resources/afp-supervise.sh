#!/usr/bin/env bash
# Runs one server process tied to the lifetime of the JVM that started it: the JVM holds this
# script's stdin; when it closes the pipe (a deliberate stop, or because it died, even by
# SIGKILL), the server gets STOP_SIGNAL and, after STOP_GRACE seconds, SIGKILL.
# The server's pid is written to PID_FILE so that tests can kill -9 it on purpose.
set -u
# Background jobs get /dev/null as stdin in a script; keep the JVM's pipe on fd 3.
exec 3<&0
"$@" </dev/null &
child=$!
[ -n "${PID_FILE:-}" ] && echo "$child" > "$PID_FILE"
(
  while read -r _ <&3; do :; done
  kill -"${STOP_SIGNAL:-TERM}" "$child" 2>/dev/null
  for _ in $(seq 1 $(( ${STOP_GRACE:-20} * 10 ))); do
    kill -0 "$child" 2>/dev/null || exit 0
    sleep 0.1
  done
  kill -KILL "$child" 2>/dev/null
) &
watcher=$!
wait "$child"
rc=$?
kill "$watcher" 2>/dev/null
exit $rc
