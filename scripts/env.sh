# Shared by run.sh and test.sh: picks a JDK >= 21 and installs what the project needs from
# Debian's packages when it is missing (as root; otherwise it says what to install).

ensure_java() {
  if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
      if [ -x "$candidate/bin/java" ]; then
        export JAVA_HOME="$candidate"
        break
      fi
    done
  fi
  if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    echo "A JDK 21 or newer is needed: set JAVA_HOME (Temurin 25 is expected at /usr/lib/jvm/temurin-25-jdk-amd64)." >&2
    exit 1
  fi
  export PATH="$JAVA_HOME/bin:$PATH"
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: $* (install them with: sudo apt-get install -y $*)" >&2
    exit 1
  fi
  echo "==> Installing $* from Debian's packages"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
  fi
}

ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_install postgresql
  fi
}

ensure_nginx() {
  if [ ! -x /usr/sbin/nginx ]; then
    apt_install nginx
    # Debian starts a default nginx on install; the project runs its own on its own ports.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
      systemctl stop nginx || true
    fi
  fi
}
