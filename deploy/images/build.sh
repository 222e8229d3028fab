#!/usr/bin/env bash
# Builds the three service images without a Docker daemon (buildah, vfs storage, chroot
# isolation), from the packaged Quarkus fast-jar (target/quarkus-app).
#
#   deploy/images/build.sh                 # package the services, then build the images
#
# Settings (environment):
#   BASE_IMAGE    JRE base image, Java >= 21   (default: docker.io/library/eclipse-temurin:21-jre)
#                 Offline: BASE_IMAGE=localhost/activity-feed/jre-base:25 after offline-base.sh
#   IMAGE_PREFIX  image name prefix             (default: activity-feed, as in deploy/k8s)
#   IMAGE_TAG     image tag                     (default: the project version, as in deploy/k8s)
#   PUSH_TO       registry to push to, e.g. registry.example.com (default: none; images stay local).
#                 After the push, each image's digest goes to $ARCHIVE_DIR/digests.txt, and with
#                 PUBLIC_HOST and BACKUP_DESTINATION set, release-overlay.sh writes the release
#                 overlay deploy/k8s/release that pins those digests (see that script).
#   PUSH_TLS_VERIFY  true (default): the registry's certificate is verified. Only "false",
#                 given explicitly, turns that off (a throwaway registry on loopback).
#   ARCHIVE_DIR   also write each image as an OCI archive here (default: deploy/images/target)
#   SKIP_PACKAGE  1 to reuse existing target/quarkus-app directories
#   BUILDAH_OPTS  extra global buildah options  (default: --storage-driver vfs)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# The same JDK choice as the project's build and test scripts (JDK >= 21, Temurin 25 first).
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"
ensure_java
PUSH_TLS_VERIFY="${PUSH_TLS_VERIFY:-true}"
case "$PUSH_TLS_VERIFY" in
  true) ;;
  false) echo "build.sh: PUSH_TLS_VERIFY=false: pushing to ${PUSH_TO:-<none>} without verifying its certificate" >&2 ;;
  *) echo "build.sh: PUSH_TLS_VERIFY must be true or false, not '$PUSH_TLS_VERIFY'" >&2; exit 1 ;;
esac
BASE_IMAGE="${BASE_IMAGE:-docker.io/library/eclipse-temurin:21-jre}"
IMAGE_PREFIX="${IMAGE_PREFIX:-activity-feed}"
ARCHIVE_DIR="${ARCHIVE_DIR:-$ROOT/deploy/images/target}"
read -r -a BUILDAH <<< "buildah ${BUILDAH_OPTS:---storage-driver vfs}"
export BUILDAH_ISOLATION="${BUILDAH_ISOLATION:-chroot}"
SERVICES=(ingest-service feed-service social-service)

if [[ -z "${IMAGE_TAG:-}" ]]; then
  IMAGE_TAG="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$ROOT/pom.xml" | head -1)"
fi

if [[ "${SKIP_PACKAGE:-0}" != 1 ]]; then
  (cd "$ROOT" && ./mvnw -B -q -pl "$(IFS=,; echo "${SERVICES[*]}")" -am package -DskipTests)
fi

mkdir -p "$ARCHIVE_DIR"
if [[ -n "${PUSH_TO:-}" ]]; then
  : > "$ARCHIVE_DIR/digests.txt"
fi
for service in "${SERVICES[@]}"; do
  app="$ROOT/$service/target/quarkus-app"
  [[ -f "$app/quarkus-run.jar" ]] || { echo "missing $app/quarkus-run.jar: package $service first" >&2; exit 1; }
  image="$IMAGE_PREFIX/$service:$IMAGE_TAG"

  # Two layers over the base: the dependencies (lib/), which change rarely, then the
  # application; a registry and a node then move only the layer that changed. Files stay owned
  # by root: readable, not writable, by the service user (185).
  ctr="$("${BUILDAH[@]}" from --pull=missing "$BASE_IMAGE")"
  trap '"${BUILDAH[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
  "${BUILDAH[@]}" copy "$ctr" "$app/lib" /deployments/lib >/dev/null
  deps="$IMAGE_PREFIX/$service-deps:$IMAGE_TAG"
  "${BUILDAH[@]}" commit --rm --quiet "$ctr" "$deps" >/dev/null
  ctr="$("${BUILDAH[@]}" from "$deps")"
  for part in app quarkus quarkus-run.jar; do
    "${BUILDAH[@]}" copy "$ctr" "$app/$part" "/deployments/$part" >/dev/null
  done
  "${BUILDAH[@]}" config \
    --user 185:0 \
    --workingdir /deployments \
    --port 8080 \
    --env LANG=C.UTF-8 \
    --entrypoint '["java", "-XX:MaxRAMPercentage=75", "-XX:InitialRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"]' \
    --cmd '' \
    --label org.opencontainers.image.title="$service" \
    --label org.opencontainers.image.version="$IMAGE_TAG" \
    --label org.opencontainers.image.base.name="$BASE_IMAGE" \
    "$ctr"
  "${BUILDAH[@]}" commit --rm --quiet "$ctr" "$image" >/dev/null
  trap - EXIT
  # The intermediate name goes; its layer stays, shared by the final image.
  "${BUILDAH[@]}" rmi "$deps" >/dev/null

  "${BUILDAH[@]}" push --quiet "$image" "oci-archive:$ARCHIVE_DIR/$service.oci.tar:$image"
  if [[ -n "${PUSH_TO:-}" ]]; then
    # The digest of the manifest as the registry stores it: what the release overlay pins.
    "${BUILDAH[@]}" push --quiet --tls-verify="$PUSH_TLS_VERIFY" --digestfile "$ARCHIVE_DIR/$service.digest" \
      "$image" "docker://$PUSH_TO/$image"
    echo "$service $(cat "$ARCHIVE_DIR/$service.digest")" >> "$ARCHIVE_DIR/digests.txt"
  fi
  size="$(du -h "$ARCHIVE_DIR/$service.oci.tar" | cut -f1)"
  echo "$image  (compressed archive $size, $ARCHIVE_DIR/$service.oci.tar)"
done
"${BUILDAH[@]}" images --filter "reference=$IMAGE_PREFIX/*"
if [[ -n "${PUSH_TO:-}" ]]; then
  if [[ -n "${PUBLIC_HOST:-}" && -n "${BACKUP_DESTINATION:-}" ]]; then
    REGISTRY="$PUSH_TO" DIGESTS="$ARCHIVE_DIR/digests.txt" "$ROOT/deploy/images/release-overlay.sh"
  else
    echo "digests in $ARCHIVE_DIR/digests.txt; set PUBLIC_HOST and BACKUP_DESTINATION (or run" \
      "deploy/images/release-overlay.sh) to write the release overlay" >&2
  fi
fi
