#!/bin/sh
# Runs a project command with everything it needs provisioned, so `npm run <script>` works on a
# fresh Debian machine with an older Node:
#   1. Node >= 22 (installs the `node@22` npm package into .cache/node22 when the machine's is older);
#   2. node_modules matching package-lock.json (npm ci when missing or stale);
#   3. with RUN_SYSTEM_DEPS=1 (sandbox, test): Debian packages the app needs at runtime (redis-server,
#      and chromium + CJK/Thai fonts for browser tests) when running as root and they are missing,
#      waiting (bounded, APT_LOCK_WAIT seconds) while another apt/dpkg holds the package lock.
# Usage: sh scripts/run.sh <command> [args...]
set -e
ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$ROOT"

need_major=22
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt "$need_major" ]; then
  NODE22="$ROOT/.cache/node22/node_modules/node/bin"
  if [ ! -x "$NODE22/node" ]; then
    echo "[run] Node $(node -v 2>/dev/null || echo none) found; installing Node 22 into .cache/node22 …" >&2
    mkdir -p "$ROOT/.cache/node22"
    npm install --prefix "$ROOT/.cache/node22" --no-audit --no-fund --loglevel=error node@22 >&2
  fi
  PATH="$NODE22:$PATH"
  export PATH
fi

stamp="$ROOT/node_modules/.install-stamp"
if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ] || [ "$ROOT/package.json" -nt "$stamp" ]; then
  echo "[run] installing dependencies (npm ci) …" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch "$stamp"
fi
PATH="$ROOT/node_modules/.bin:$PATH"
export PATH

if [ "${RUN_SYSTEM_DEPS:-0}" = "1" ]; then
  missing=""
  command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
  if [ "${RUN_BROWSER_DEPS:-0}" = "1" ]; then
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium fonts-noto-cjk fonts-thai-tlwg fonts-liberation"
  fi
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "[run] installing Debian packages:$missing …" >&2
      . "$ROOT/scripts/apt-wait.sh"
      apt_get_waiting update -qq >&2
      DEBIAN_FRONTEND=noninteractive
      export DEBIAN_FRONTEND
      apt_get_waiting install -y -qq $missing >&2
    else
      echo "[run] missing:$missing — install with: sudo apt-get install -y$missing" >&2
    fi
  fi
fi

exec "$@"
