#!/usr/bin/env bash
# Make sure the services the tests need are there.
# PostgreSQL: use REKAM_TEST_DATABASE_URL when a server answers there (the development and
# CI machines run one at 127.0.0.1:5432, trust auth, user postgres); otherwise start the
# machine's cluster, or install PostgreSQL and start a throwaway cluster in a temp folder.
set -euo pipefail

# Pango and HarfBuzz-Subset (WeasyPrint's text layout, for PDF lists) and a font.
if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || ! ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset; then
  echo "Pango/HarfBuzz: installing for PDF output"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null
fi

# Java for Spark in local mode (the Spark engine's tests).
if ! command -v java >/dev/null 2>&1; then
  echo "Java: installing a headless JRE for Spark"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
fi

# Chromium for the dashboard's browser tests (tests/web/test_browser.py, driven by Playwright):
# Debian's package, never a browser downloaded by 'playwright install'.
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium: installing for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

url="${REKAM_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
host=127.0.0.1; port=5432

have_pg() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$host" -p "$port"; }

if have_pg; then
  echo "PostgreSQL: answering at $host:$port"
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/*/main >/dev/null 2>&1; then
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || pg_ctlcluster "$ver" main start || true
  sleep 2
  have_pg && { echo "PostgreSQL: started cluster $ver/main"; exit 0; }
fi
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "PostgreSQL: installing from Debian packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bindir=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
data=$(mktemp -d /tmp/rekam-pg.XXXXXX)
chown postgres "$data" 2>/dev/null || true
run() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
run "$bindir/initdb -D $data -A trust -U postgres >/dev/null"
run "$bindir/pg_ctl -D $data -o '-k /tmp -h 127.0.0.1 -p $port' -l $data/log start >/dev/null"
sleep 2
echo "PostgreSQL: throwaway cluster in $data ($url)"
