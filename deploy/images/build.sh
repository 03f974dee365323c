#!/usr/bin/env bash
# Builds Slipway's container images on the engine `docker` talks to (DOCKER_HOST is respected), from Debian packages
# (mmdebstrap) and the project's shaded jars only: no image is pulled from any registry. Run through
# `./slipway images [--rebuild]`, which builds the jars first; this script expects them in place.
#   slipway/jre            Debian minbase + openjdk-17-jre-headless, ca-certificates, tini (docker import)
#   slipway/registry       Debian minbase + docker-registry, apache2-utils, with entrypoint.sh (registry.Dockerfile)
#   slipway/kafka          slipway/jre + the devstack jar running KafkaServerMain (kafka.Dockerfile)
#   slipway/schema-registry slipway/jre + the devstack jar running SchemaRegistryMain (schema-registry.Dockerfile)
#   slipway/<service>      slipway/jre + the service's jar, one Dockerfile for all seven (service.Dockerfile)
# Every image is tagged with the project version and latest, and runs as user slipway (uid 10001).
# The root filesystems are cached as tarballs under $SLIPWAY_IMAGES_CACHE, keyed by everything that goes into them
# (suite, mirror, packages, this recipe); --rebuild makes them again. SLIPWAY_DEBIAN_MIRROR picks another mirror
# (default: deb.debian.org with its updates and security suites); SLIPWAY_DEBIAN_SUITE another suite (bookworm).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${SLIPWAY_IMAGES_CACHE:-$ROOT/.slipway/images}"
SUITE="${SLIPWAY_DEBIAN_SUITE:-bookworm}"
MIRROR="${SLIPWAY_DEBIAN_MIRROR:-}"
SERVICES=(trigger-service builder-service tester-service deliverer-service notifier-service deployer-service
          dashboard-service)
JRE_PACKAGES=openjdk-17-jre-headless,ca-certificates,tini
REGISTRY_PACKAGES=docker-registry,apache2-utils,ca-certificates
# The one user every image runs as; volumes it writes belong to it.
APP_UID=10001
REBUILD=0

die() { printf 'slipway images: %s\n' "$*" >&2; exit 1; }
say() { printf '%s\n' "$*"; }

jar_of() { ls "$ROOT/$1"/target/"$1"-*-all.jar 2>/dev/null | head -n 1; }

# The project version, read from a shaded jar's name (<module>-<version>-all.jar), so tags match the jars inside.
project_version() {
  local jar
  jar=$(basename "$(jar_of devstack)")
  jar=${jar#devstack-}
  printf '%s\n' "${jar%-all.jar}"
}

# mmdebstrap's options shared by every root filesystem: no documentation, manuals or translations (the copyright
# files stay), no apt lists or caches, and the slipway user and group.
MMDEBSTRAP_OPTS=(
  --variant=minbase
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-include=/usr/share/locale/locale.alias'
  --dpkgopt='path-exclude=/usr/share/lintian/*'
  # update-alternatives links the manual pages it registers (openjdk's among them) and fails without their directory.
  --setup-hook='mkdir -p "$1"/usr/share/man/man1'
  --customize-hook='rm -rf "$1"/usr/share/man "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/cache/debconf/*-old "$1"/var/log/*.log "$1"/var/log/apt/*'
  --customize-hook="chroot \"\$1\" groupadd --gid $APP_UID slipway"
  --customize-hook="chroot \"\$1\" useradd --uid $APP_UID --gid $APP_UID --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin slipway"
)

# Imports a Debian root filesystem with packages $2 as image $1 (tag: the cache key), unless that image exists;
# prints the image reference. The tarball is made by mmdebstrap once per key and kept in the cache.
import_rootfs() {
  local name=$1 packages=$2 key tarball ref
  shift 2
  key=$(printf '%s\n' "$SUITE" "$MIRROR" "$packages" "${MMDEBSTRAP_OPTS[@]}" | sha256sum | cut -c1-16)
  tarball="$CACHE/${name#*/}-$SUITE-$key.tar"
  # The image also depends on its settings (user, environment …), the tarball does not.
  ref="$name:rootfs-$(printf '%s\n' "$key" "$@" | sha256sum | cut -c1-16)"
  if [ "$REBUILD" = 1 ]; then rm -f "$tarball"; docker image rm "$ref" >/dev/null 2>&1 || true; fi
  if docker image inspect "$ref" >/dev/null 2>&1; then printf '%s\n' "$ref"; return; fi
  if [ ! -f "$tarball" ]; then
    command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap is missing; install it: sudo apt-get install mmdebstrap"
    mkdir -p "$CACHE"
    say "Making the $name root filesystem ($SUITE: $packages) …" >&2
    local log="${tarball%.tar}.log"
    if ! mmdebstrap "${MMDEBSTRAP_OPTS[@]}" --format=tar --include="$packages" "$SUITE" "$tarball.part" ${MIRROR:+"$MIRROR"} >"$log" 2>&1; then
      rm -f "$tarball.part"
      tail -n 20 "$log" >&2
      die "mmdebstrap failed for $name (log: $log)"
    fi
    mv "$tarball.part" "$tarball"
  fi
  local change=() c
  for c in "$@"; do change+=(--change "$c"); done
  docker import "${change[@]}" --message "slipway $name root filesystem ($SUITE)" "$tarball" "$ref" >/dev/null \
    || die "docker import of $tarball failed"
  printf '%s\n' "$ref"
}

# Tags image $1 as $2:<version> and $2:latest.
tag_both() {
  docker tag "$1" "$2:$VERSION"
  docker tag "$1" "$2:latest"
}

# Builds Dockerfile $2 as image $1 from a context holding only files $3… (copied in under their base names), with
# no network and never pulling; the remaining --build-arg options come after a literal --.
build_image() {
  local name=$1 dockerfile=$2 context f
  shift 2
  context=$(mktemp -d)
  cp "$HERE/$dockerfile" "$context/Dockerfile"
  while [ $# -gt 0 ] && [ "$1" != -- ]; do cp "$1" "$context/"; shift; done
  [ $# -eq 0 ] || shift
  say "Building $name:$VERSION …"
  # Its output is shown only when it fails (the legacy builder also warns that it is deprecated on every build).
  if ! docker build --network=none "$@" --build-arg "VERSION=$VERSION" -t "$name:$VERSION" -t "$name:latest" \
      "$context" >"$context.log" 2>&1; then
    cat "$context.log" >&2
    rm -rf "$context" "$context.log"
    die "docker build of $name failed"
  fi
  rm -rf "$context" "$context.log"
}

main() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --rebuild) REBUILD=1 ;;
      *) die "unknown option $1 (usage: ./slipway images [--rebuild])" ;;
    esac
    shift
  done
  local m
  for m in devstack "${SERVICES[@]}"; do [ -n "$(jar_of "$m")" ] || die "no shaded jar for $m; build first: ./mvnw -B -DskipTests package"; done
  docker info >/dev/null 2>&1 || die "no Docker engine answers${DOCKER_HOST:+ at $DOCKER_HOST}"
  VERSION=$(project_version)

  local jre registry
  jre=$(import_rootfs slipway/jre "$JRE_PACKAGES" \
    "ENV LANG=C.UTF-8 JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)" \
    "USER $APP_UID:$APP_UID" 'WORKDIR /tmp' 'CMD ["java", "-version"]')
  tag_both "$jre" slipway/jre
  registry=$(import_rootfs slipway/registry-base "$REGISTRY_PACKAGES" "USER $APP_UID:$APP_UID")

  build_image slipway/registry registry.Dockerfile "$HERE/registry-entrypoint.sh" -- --build-arg "BASE=$registry"
  build_image slipway/kafka kafka.Dockerfile "$(jar_of devstack)" -- --build-arg "JAR=$(basename "$(jar_of devstack)")"
  build_image slipway/schema-registry schema-registry.Dockerfile "$(jar_of devstack)" -- \
    --build-arg "JAR=$(basename "$(jar_of devstack)")"
  local s
  for s in "${SERVICES[@]}"; do
    build_image "slipway/$s" service.Dockerfile "$(jar_of "$s")" -- \
      --build-arg "JAR=$(basename "$(jar_of "$s")")" --build-arg "SERVICE=$s"
  done

  say ""
  docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' \
    | grep -E "^slipway/(jre|registry|kafka|schema-registry|[a-z]+-service):$VERSION	" | sort
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
