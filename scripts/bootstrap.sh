#!/usr/bin/env bash
# Make this machine ready to build bulletins: system libraries, then .venv from the lock files.
#   scripts/bootstrap.sh run     runtime only  (make issue, make check): requirements.lock
#   scripts/bootstrap.sh test    runtime + test and lint tools, and Chromium (make test): requirements-test.lock
#   scripts/bootstrap.sh system  only report the system packages missing, one a line (exit 0)
# Safe to run again: each step is skipped when already done, and nothing is installed then.
set -euo pipefail

want="${1:-run}"
venv="${VENV:-.venv}"
python="${PYTHON:-python3}"

# WeasyPrint needs Pango (>= 1.44) and, to subset fonts, HarfBuzz's subsetter; it opens them
# by these names with dlopen(). So the check asks the dynamic loader itself, once, in one
# process: the same answer as WeasyPrint's, on every run, as root or not (ldconfig's cache
# may be stale, ldconfig may not be on a normal user's PATH, and `ldconfig -p | grep -q`
# under pipefail fails at random when grep's early exit kills ldconfig with SIGPIPE).
libraries=(libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0)
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
missing_packages() {
  local pairs=() i
  for i in "${!libraries[@]}"; do pairs+=("${libraries[$i]}" "${packages[$i]}"); done
  # Creating .venv needs ensurepip, which Debian ships apart (python3-venv).
  [ -x "$venv/bin/python" ] || pairs+=(ensurepip python3-venv)
  "$python" -c '
import ctypes, importlib.util, sys
names = sys.argv[1:]
for name, package in zip(names[::2], names[1::2]):
    if name == "ensurepip":
        if importlib.util.find_spec(name) is None:
            print(package)
        continue
    try:
        ctypes.CDLL(name)
    except OSError:
        print(package)
' "${pairs[@]}"
}

report=$(missing_packages)  # a failure of the check itself stops here (set -e)
missing=()
[ -n "$report" ] && mapfile -t missing <<<"$report"
if [ "$want" = system ]; then
  [ -n "$report" ] && printf '%s\n' "${missing[@]}"
  exit 0
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} with apt-get…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
    report=$(missing_packages)
    if [ -n "$report" ]; then
      echo "bulletin still cannot load these system libraries after apt-get: $report" >&2
      exit 1
    fi
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

# The typography tests copy text out of the PDF as poppler's pdftotext does (most viewers
# on Linux): it reads a wide gap between letters as a space ("A RAL SEA").
if [ "$want" = test ] && ! command -v pdftotext >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing poppler-utils with apt-get (pdftotext, for the typography tests)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq poppler-utils >/dev/null
  else
    echo "The typography tests need pdftotext." >&2
    echo "Install it (Debian/Ubuntu: sudo apt-get install poppler-utils), then run make again." >&2
    exit 1
  fi
fi

# The browser tests audit the archive site with axe-core, installed from npm into tests/.
if [ "$want" = test ] && [ ! -f tests/node_modules/axe-core/axe.min.js -o tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "Installing npm with apt-get (for the accessibility audit)…"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq npm >/dev/null
    else
      echo "The accessibility audit needs npm, to install axe-core." >&2
      echo "Install it (Debian/Ubuntu: sudo apt-get install npm), then run make again." >&2
      exit 1
    fi
  fi
  echo "Installing axe-core into tests/node_modules (for the accessibility audit)…"
  npm ci --prefix tests --no-audit --no-fund --loglevel=error >/dev/null
fi

# Python packages: exactly the versions and files (sha256) of the lock, then bulletin itself
# without dependencies. A stamp holds the digest of what was installed from, so that a changed
# lock file or pyproject.toml (a pull, a rebase, `make lock`) installs again, and nothing else does.
case "$want" in
  test) lock=requirements-test.lock extras="[test]" ;;
  *) lock=requirements.lock extras="" ;;
esac
digest() { cat "$1" pyproject.toml | sha256sum | cut -d' ' -f1; }
current() { [ -f "$venv/.installed-$1" ] && [ "$(cat "$venv/.installed-$1")" = "$(digest "$2")" ]; }
if current "$want" "$lock" || { [ "$want" = run ] && current test requirements-test.lock; }; then
  exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "Creating $venv…"
  "$python" -m venv "$venv"
fi
echo "Installing bulletin$extras into $venv from $lock…"
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install --require-hashes -r "$lock"
"${pip[@]}" install --no-deps --no-build-isolation -e ".$extras"
if ! problems=$("${pip[@]}" check 2>&1); then
  echo "$problems" >&2
  echo "$lock does not hold every dependency in pyproject.toml: run make lock, then make again." >&2
  exit 1
fi
rm -f "$venv"/.installed-*
digest "$lock" >"$venv/.installed-$want"
