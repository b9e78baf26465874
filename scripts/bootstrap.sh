#!/usr/bin/env bash
# Make this machine ready to build bulletins: system libraries, then .venv.
#   scripts/bootstrap.sh run    runtime only  (make issue, make check)
#   scripts/bootstrap.sh test   runtime + test and lint tools, and Chromium (make test)
# Safe to run again: each step is skipped when already done.
set -euo pipefail

want="${1:-run}"
venv="${VENV:-.venv}"
python="${PYTHON:-python3}"

# WeasyPrint needs Pango (>= 1.44) and, to subset fonts, HarfBuzz's subsetter.
libraries=(libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0)
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
missing=()
for i in "${!libraries[@]}"; do
  if ! ldconfig -p | grep -q "${libraries[$i]}"; then
    missing+=("${packages[$i]}")
  fi
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} with apt-get…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "bulletin needs these system packages: ${missing[*]}" >&2
    echo "Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}), then run make again." >&2
    exit 1
  fi
fi

# The browser test drives Debian's Chromium: Playwright cannot download a browser of its own here.
chromium=/usr/bin/chromium
if [ "$want" = test ] && [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing chromium with apt-get (for the browser test)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser test needs Chromium at $chromium." >&2
    echo "Install it (Debian/Ubuntu: sudo apt-get install chromium), then run make again." >&2
    exit 1
  fi
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "Creating $venv…"
  "$python" -m venv "$venv"
fi

stamp="$venv/.installed-$want"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  extras=""
  [ "$want" = test ] && extras="[test]"
  echo "Installing bulletin$extras into $venv…"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".$extras"
  touch "$stamp"
fi
