#!/usr/bin/env bash
# Installs Debian's QGIS Python bindings (python3-qgis, QGIS 3.22 on Debian 12) when they are
# missing and we may use apt-get (root). tests/test_styles.py opens the built GeoPackage with
# /usr/bin/python3 in a real, headless QGIS (QT_QPA_PLATFORM=offscreen) and checks that each
# layer gets its stored style as renderer; without QGIS that test is skipped with the reason.
# Idempotent and quiet: nothing happens when `import qgis.core` already works.
#
# Cost measured on Debian 12 (gdal-bin already present): about 170 packages, about 103 MB to
# download and about 890 MB on disk (Qt 5, the QGIS libraries, scipy/matplotlib and more as
# dependencies of python3-qgis); about 45 s here with a fresh download, under 1 s when present.
set -euo pipefail

if /usr/bin/python3 -c "import qgis.core" >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing python3-qgis (Debian package, QGIS) for the QGIS style test"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-qgis >/dev/null
else
  echo "note: python3-qgis missing and apt-get not available as root; the QGIS style test will be skipped" >&2
fi
