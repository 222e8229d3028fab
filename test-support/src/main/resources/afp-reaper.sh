#!/usr/bin/env bash
# Deletes DIR once the JVM that holds this script's stdin is gone, however it ended.
# The servers' own supervisors stop them on the same signal; give them time first.
set -u
# Background jobs get /dev/null as stdin in a script; keep the JVM's pipe on fd 3.
exec 3<&0
while read -r _ <&3; do :; done
[ -d "$1" ] || exit 0
sleep "${REAP_DELAY:-8}"
[ -d "$1" ] && rm -rf "$1"
exit 0
