#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml: make lock (UPGRADE=1: newest versions of everything).
#   requirements.lock       what `make issue` installs (bulletin's own dependencies)
#   requirements-test.lock  what `make test` installs (the same versions, plus test and lint tools)
# Versions already locked are kept unless UPGRADE=1; a dependency added to pyproject.toml is
# resolved and added. Both files hold every wheel's sha256 for every platform and Python >= 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${VENV:-.venv}"
uv="${UV:-$venv/bin/uv}"
if [ ! -x "$uv" ]; then
  # uv itself comes from the test lock, by its hashes: this works while the rest of .venv
  # cannot be installed (a dependency added to pyproject.toml that the locks lack yet).
  [ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
  pinned=$(mktemp)
  trap 'rm -f "$pinned"' EXIT
  sed -n '/^uv==/,/^[^ ]/{/^uv==/p;/^ /p}' requirements-test.lock >"$pinned"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    --require-hashes -r "$pinned"
fi
upgrade=()
[ "${UPGRADE:-}" = 1 ] && upgrade=(--upgrade)

common=(--universal --python-version 3.11 --generate-hashes --quiet
  --custom-compile-command "make lock" --index-url https://pypi.org/simple)
# The test lock is resolved first, with every extra; the runtime lock is constrained to its
# versions, so that `make issue` and `make test` install the same version of each package.
# setuptools is bulletin's build backend (pyproject.toml, [build-system]): locked too, so that
# installing bulletin itself (pip install --no-build-isolation) fetches nothing unlocked.
build_backend=$(sed -n 's/^requires = \["\(setuptools[^"]*\)"\]$/\1/p' pyproject.toml)
[ -n "$build_backend" ] || { echo "lock.sh: no setuptools in pyproject.toml's [build-system]" >&2; exit 1; }
"$uv" pip compile pyproject.toml - --extra test "${common[@]}" "${upgrade[@]}" \
  --output-file requirements-test.lock <<<"$build_backend"
"$uv" pip compile pyproject.toml - "${common[@]}" "${upgrade[@]}" <<<"$build_backend" \
  --constraint requirements-test.lock --output-file requirements.lock
echo "requirements.lock and requirements-test.lock are up to date with pyproject.toml."
