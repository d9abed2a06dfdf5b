#!/usr/bin/env bash
# Installs Debian's chromium (and gdal-bin, whose ogrinfo independently checks our GeoPackages)
# when they are missing and we may use apt-get. Without them the browser and ogrinfo tests are
# skipped locally, and fail under CI (CI=true), so a green CI run always includes them.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} (Debian packages) for the browser and GeoPackage tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "note: ${need[*]} missing and apt-get not available as root; those tests will be skipped" >&2
fi
