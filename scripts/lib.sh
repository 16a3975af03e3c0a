# Shared by up.sh and test.sh: find the workspace, pick a target dir, install what is missing.
# Installs only what nuri needs and only when it is missing; never downloads a prebuilt binary.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Builds live outside the clone, one directory per clone path: cargo names a workspace crate's
# artifacts without its path, so two clones sharing one target dir can each take the other's
# build for fresh and test the wrong code.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/nuri-target/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

APT_UPDATED=0
ensure_apt() { # ensure_apt PACKAGE...
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} (apt)"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Node.js and npm: the Chromium suite's packages, and binaryen's wasm-opt for release builds
# (`cargo xtask build --release` installs it from the npm registry into xtask/npm on first use).
ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null || ensure_apt nodejs npm
}

# Python with venv and pip: scripts/api-fuzz.sh installs Schemathesis from PyPI into a venv.
ensure_python_venv() {
  python3 -c 'import venv, ensurepip' 2>/dev/null || ensure_apt python3 python3-venv
}

# JupyterLab and the notebook stack for workspaces, in a venv of their own at nuri's default
# place (or NURI_JUPYTER), pinned by scripts/jupyter-requirements.txt. Installed from PyPI only
# when missing or broken; exported so that nuri and the tests find it.
ensure_jupyter() {
  local venv="${NURI_JUPYTER:-${XDG_DATA_HOME:-$HOME/.local/share}/nuri/jupyter}"
  export NURI_JUPYTER="$venv"
  if "$venv/bin/jupyter-lab" --version >/dev/null 2>&1 \
     && "$venv/bin/python" -c 'import pandas, numpy, matplotlib, nbclient' 2>/dev/null; then
    return 0
  fi
  ensure_python_venv
  say "installing JupyterLab into $venv (pip, scripts/jupyter-requirements.txt)"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    -r "$ROOT/scripts/jupyter-requirements.txt"
}

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}
