#!/usr/bin/env bash
# Installs the engines the test suites run for real (Valkey/Redis, NATS, pebble) and the browser the
# web client's end-to-end tests drive (Debian's Chromium) on Debian 12.
# Idempotent: does nothing when the binaries are already there. Tests start their own
# instances on loopback and random ports, so the system services are never wanted.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

log() { printf '[install-engines] %s\n' "$*"; }

warn_loudly() {
  printf '\n' >&2
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  printf '!!! [install-engines] WARNING: %s\n' "$*" >&2
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' >&2
}

# Looks on PATH and in the sbin folders, which a non-root PATH often lacks.
have_binary() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1 || [ -x "/usr/bin/$name" ] || [ -x "/usr/sbin/$name" ]; then
      return 0
    fi
  done
  return 1
}

# pebble (ACME test server) and its test DNS, from the Go module proxy into .engines/ (git-ignored),
# with its test certificates copied beside them so tests never need Go.
PEBBLE_VERSION=v2.10.3
ENGINES_DIR="$(cd "$(dirname "$0")/.." && pwd)/.engines"
install_pebble() {
  local bin="$ENGINES_DIR/bin" certs="$ENGINES_DIR/pebble/certs"
  if [ -x "$bin/pebble" ] && [ -x "$bin/pebble-challtestsrv" ] && [ -f "$certs/pebble.minica.pem" ] &&
    [ "$(cat "$ENGINES_DIR/pebble/version" 2>/dev/null)" = "$PEBBLE_VERSION" ]; then
    log "nothing to do: pebble $PEBBLE_VERSION is already in .engines/"
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    warn_loudly "go not found: cannot install pebble. The ACME suite will be SKIPPED (and fail under REQUIRE_ENGINES=1)."
    return 0
  fi
  log "go install pebble $PEBBLE_VERSION into .engines/bin"
  mkdir -p "$bin" "$ENGINES_DIR/pebble"
  if ! GOBIN="$bin" go install "github.com/letsencrypt/pebble/v2/cmd/pebble@$PEBBLE_VERSION" \
    "github.com/letsencrypt/pebble/v2/cmd/pebble-challtestsrv@$PEBBLE_VERSION"; then
    warn_loudly "go install pebble failed. The ACME suite will be SKIPPED (and fail under REQUIRE_ENGINES=1)."
    return 0
  fi
  rm -rf "$certs"
  cp -R "$(go env GOMODCACHE)/github.com/letsencrypt/pebble/v2@$PEBBLE_VERSION/test/certs" "$certs"
  chmod -R u+w "$certs" # the module cache is read-only
  printf '%s\n' "$PEBBLE_VERSION" >"$ENGINES_DIR/pebble/version"
  log "installed: pebble, pebble-challtestsrv"
}
install_pebble

missing=()
have_binary valkey-server redis-server || missing+=(redis-server)
have_binary nats-server || missing+=(nats-server)
have_binary chromium || missing+=(chromium)

if [ "${#missing[@]}" -eq 0 ]; then
  log "nothing to do: redis/valkey, nats-server and chromium are already installed"
  exit 0
fi

log "missing: ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
  log "not root: using sudo"
else
  warn_loudly "cannot install ${missing[*]}: not root and sudo is unavailable. Suites that need them will be SKIPPED (and fail under REQUIRE_ENGINES=1)."
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  warn_loudly "apt-get not found (this script targets Debian 12); install ${missing[*]} yourself."
  exit 0
fi

log "apt-get update"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
log "apt-get install ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"

# Only the services this run installed are touched: a developer's own redis stays as it was.
for pkg in "${missing[@]}"; do
  [ "$pkg" = chromium ] && continue # a browser, not a service
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    "${SUDO[@]}" systemctl disable --now "$pkg" >/dev/null 2>&1 || true
    log "stopped and disabled the system service $pkg (systemd)"
  elif command -v service >/dev/null 2>&1; then
    "${SUDO[@]}" service "$pkg" stop >/dev/null 2>&1 || true
    if command -v update-rc.d >/dev/null 2>&1; then
      "${SUDO[@]}" update-rc.d "$pkg" disable >/dev/null 2>&1 || true
    fi
    log "stopped and disabled the system service $pkg (sysvinit), if it was running"
  fi
done

for name in redis-server nats-server chromium; do
  if have_binary "$name"; then
    log "installed: $name"
  else
    warn_loudly "$name is still missing after apt-get install"
  fi
done
