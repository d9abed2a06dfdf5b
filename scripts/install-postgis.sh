#!/usr/bin/env bash
# Installs Debian's PostgreSQL server and its PostGIS extension when they are missing and we may
# use apt-get (root). The PostGIS export tests start a throwaway cluster of their own on
# 127.0.0.1; without these packages they are skipped locally and fail under CI (CI=true), so a
# green CI run always includes them. Idempotent and quiet: nothing happens when both are there.
#
# Cost, measured on Debian 12 with postgresql-15 and gdal-bin (scripts/install-browser.sh) already
# there: postgresql-15-postgis-3 with its scripts, SFCGAL, protobuf-c and boost-serialization,
# about 7 MB downloaded and 67 MB on disk, in about 3 s. Without GDAL add libgdal32 and its
# libraries (about 20 MB more to download, 55 MB on disk).
set -euo pipefail

# The newest PostgreSQL major version whose server binaries are installed (empty: none).
server_version() {
  local v
  for v in $(ls /usr/lib/postgresql 2>/dev/null | sort -rn); do
    [ -x "/usr/lib/postgresql/$v/bin/postgres" ] && { echo "$v"; return; }
  done
}

version="$(server_version)"
need=()
if [ -z "$version" ]; then
  need+=(postgresql postgresql-postgis)
elif [ ! -f "/usr/share/postgresql/$version/extension/postgis.control" ]; then
  need+=("postgresql-$version-postgis-3")
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} (Debian packages) for the PostGIS export tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "note: ${need[*]} missing and apt-get not available as root; the PostGIS tests will be skipped" >&2
fi
