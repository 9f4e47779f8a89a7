#!/usr/bin/env bash
# One setup for both Quick start commands: Debian packages, npm dependencies, PostgreSQL and Redis
# reachable, database migrated. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] 错误：%s\n' "$*" >&2; exit 1; }

# 1. Node.js
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "需要 Node.js 20.19 或更高版本，本机是 $(node --version)"

# 2. Debian packages the renderers and tests use.
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
# fc-match: how the renderers find the Simplified Chinese face, the one Pango and ffmpeg draw with.
command -v fc-match >/dev/null 2>&1 || missing+=(fontconfig)
# pdffonts and pdftoppm: the flyer's font check and its per-page PNG previews.
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql-client)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
# The offline narration voice: eSpeak NG, run as its own process (its GPL stays out of the project).
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
# The caption tests read the burned-in captions back from frames with OCR (Simplified Chinese).
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx chi_sim || missing+=(tesseract-ocr-chi-sim)
# The overlay's browser test (services/api) drives this Chromium; nothing downloads a browser of its own.
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "缺少系统软件包：${missing[*]}。请运行：sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
fi

# 3. npm dependencies, when missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 4. PostgreSQL and Redis: start the local servers if they are down and this machine has them.
eval "$(node scripts/service-urls.mjs)"
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3; then
  if [ "$PG_HOST" = 127.0.0.1 ] || [ "$PG_HOST" = localhost ]; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      say "starting PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    fi
  fi
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 10 \
    || die "PostgreSQL 无法连接（$PG_HOST:$PG_PORT）。请启动它：pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start，或设置 DATABASE_URL"
fi
if ! redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  if [ "$REDIS_HOST" = 127.0.0.1 ] || [ "$REDIS_HOST" = localhost ]; then
    if command -v redis-server >/dev/null 2>&1; then
      say "starting Redis"
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null || true
      sleep 1
    fi
  fi
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping >/dev/null 2>&1 \
    || die "Redis 无法连接（$REDIS_HOST:$REDIS_PORT）。请启动它：redis-server --daemonize yes --port $REDIS_PORT，或设置 REDIS_URL"
fi
# BullMQ loses jobs silently if Redis evicts keys.
policy=$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" config get maxmemory-policy 2>/dev/null | tail -n 1 || true)
if [ -n "$policy" ] && [ "$policy" != noeviction ]; then
  say "warning: Redis maxmemory-policy is '$policy'; BullMQ needs 'noeviction'"
fi

# 5. Database and migrations.
node cli/bin/jobcast.js db migrate
