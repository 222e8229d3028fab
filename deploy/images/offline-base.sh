#!/usr/bin/env bash
# Makes a JRE base image where no registry is reachable: a minimal Debian root filesystem
# (debootstrap, from the Debian archive apt already uses) plus a Java runtime cut with jlink
# from the local JDK (Java >= 21 needed; Debian bookworm packages only 17). The result is the
# local image localhost/activity-feed/jre-base:<java feature version>, for build.sh:
#
#   deploy/images/offline-base.sh
#   BASE_IMAGE=localhost/activity-feed/jre-base:25 deploy/images/build.sh
#
# Settings: JAVA_HOME (the JDK to cut the runtime from), SUITE (default bookworm),
# MIRROR (default: debootstrap's own), BUILDAH_OPTS (default --storage-driver vfs).
set -euo pipefail

JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
SUITE="${SUITE:-bookworm}"
read -r -a BUILDAH <<< "buildah ${BUILDAH_OPTS:---storage-driver vfs}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

feature="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[[ "$feature" -ge 21 ]] || { echo "$JAVA_HOME is Java $feature; the services need 21 or later" >&2; exit 1; }

rootfs="$WORK/rootfs"
debootstrap --variant=minbase --include=ca-certificates,tzdata "$SUITE" "$rootfs" ${MIRROR:+"$MIRROR"} >"$WORK/debootstrap.log"
# Nothing the runtime needs: package caches, documentation, locales.
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
       "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*

# The modules the Quarkus services load (java.se covers JDBC, JNDI, XML, management, HTTP).
"$JAVA_HOME/bin/jlink" \
  --add-modules java.se,jdk.unsupported,jdk.management,jdk.jfr,jdk.naming.dns,jdk.zipfs,jdk.crypto.ec \
  --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --output "$rootfs/opt/java"
# The services run as uid 185 (as in the Red Hat OpenJDK images), group root.
echo "app:x:185:0:app:/deployments:/usr/sbin/nologin" >> "$rootfs/etc/passwd"

tar -C "$rootfs" -cf "$WORK/rootfs.tar" .
ctr="$("${BUILDAH[@]}" from scratch)"
"${BUILDAH[@]}" add "$ctr" "$WORK/rootfs.tar" / >/dev/null
"${BUILDAH[@]}" config \
  --env JAVA_HOME=/opt/java \
  --env PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env LANG=C.UTF-8 \
  --user 185:0 \
  --label org.opencontainers.image.title="activity-feed JRE base ($SUITE, Java $feature)" \
  "$ctr"
"${BUILDAH[@]}" commit --rm --quiet "$ctr" "localhost/activity-feed/jre-base:$feature" >/dev/null
"${BUILDAH[@]}" images "localhost/activity-feed/jre-base:$feature"
