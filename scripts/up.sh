#!/usr/bin/env bash
# Build nuri (release) and start it on the embedded default: SQLite in ./data.
# On first start it prints a one-time setup link that creates the first admin.
source "$(dirname "$0")/lib.sh"

ensure_rust
ensure_hosting  # libvirt for the build, nginx and qemu-img for hosting
ensure_node   # binaryen's wasm-opt for the release WASM bundle comes from npm
ensure_jupyter  # workspaces' JupyterLab (NURI_JUPYTER)
ensure_guest    # hosting's VMs: QEMU, libvirt's QEMU driver, the small Debian-built guest
say "building (cargo xtask build --release)"
cargo xtask build --release
say "starting nuri (Ctrl-C stops it)"
exec "$CARGO_TARGET_DIR/release/nuri" serve "$@"
