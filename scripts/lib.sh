# Shared by up.sh and test.sh: find the workspace, pick a target dir, install what is missing.
# Installs only what nuri needs and only when it is missing; never downloads a prebuilt binary.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Builds live outside the clone, one directory per clone path: cargo names a workspace crate's
# artifacts without its path, so two clones sharing one target dir can each take the other's
# build for fresh and test the wrong code.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/nuri-target/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)}"

# Each step is stamped with the minutes and seconds since the script began, so a CI log shows
# where its time went.
say() { printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

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

# The real hosting guest (TCG, no KVM needed): QEMU's x86 system emulator from the same release
# as the installed qemu-utils (Debian 12's qemu-system 7.2 next to backports' qemu-utils 10 breaks),
# libvirt's QEMU driver (used in-process through qemu:///embed, no daemon), then the small guest
# kernel + initramfs built from Debian packages by scripts/guest/build.sh (into NURI_GUEST_DIR).
ensure_guest() {
  ensure_apt qemu-utils
  local want have target=()
  want="$(dpkg-query -W -f '${Version}' qemu-utils)"
  have="$(dpkg-query -W -f '${Version}' qemu-system-x86 2>/dev/null || true)"
  if [ "$have" != "$want" ]; then
    if [[ "$want" == *bpo12* ]] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      say "adding the bookworm-backports apt source (qemu-utils $want comes from there)"
      printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm-backports' \
        'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
        | as_root tee /etc/apt/sources.list.d/nuri-bookworm-backports.sources >/dev/null
      APT_UPDATED=0
    fi
    [[ "$want" == *bpo12* ]] && target=(-t bookworm-backports)
    say "installing qemu-system-x86 $want (apt, same release as qemu-utils)"
    if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${target[@]}" \
      "qemu-system-x86=$want" "qemu-system-common=$want" "qemu-system-data=$want" >/dev/null
  fi
  ensure_apt libvirt-daemon libvirt-daemon-driver-qemu
  # A privileged (root) QEMU driver resolves its build-time user and group before reading
  # qemu.conf; libvirt-daemon-system would create them, with daemons nuri does not need.
  getent group libvirt-qemu >/dev/null || as_root groupadd --system libvirt-qemu
  getent passwd libvirt-qemu >/dev/null || as_root useradd --system --gid libvirt-qemu \
    --home-dir /var/lib/libvirt --no-create-home --shell /usr/sbin/nologin libvirt-qemu
  export NURI_GUEST_DIR="${NURI_GUEST_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/nuri/guest}"
  "$ROOT/scripts/guest/build.sh"
}

# Hosting's build and run needs: libvirt's development files (the `virt` crate links libvirt),
# nginx (nuri writes and tests its rules, and runs its own instance in development), qemu-img
# (each VM's disk).
ensure_hosting() {
  ensure_apt pkg-config libvirt-dev nginx-light qemu-utils
}
