#!/usr/bin/env bash
# Builds nuri's small hosting guest: Debian 12's cloud kernel and an initramfs holding busybox,
# dropbear (+ its shared libraries), OpenSSH's sftp-server, the virtio/FAT/ACPI kernel modules and
# scripts/guest/init, which reads the cloud-init NoCloud seed (a FAT disk labelled CIDATA).
# Everything comes from Debian packages fetched with `apt-get download`; no image download.
#
# Output: $NURI_GUEST_DIR (default ${XDG_DATA_HOME:-$HOME/.local/share}/nuri/guest)/vmlinuz and
# initrd.img, plus a stamp; a second run with the same inputs does nothing. FORCE=1 rebuilds.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${NURI_GUEST_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/nuri/guest}"
# Bump when the layout changes; the stamp also covers the init script's content.
SCRIPT_VERSION=1
KERNEL_META=linux-image-cloud-amd64
# Loaded by init in this order (dependencies resolved below and loaded first).
MODULES=(virtio_pci virtio_blk virtio_net virtio-rng fat vfat nls_cp437 nls_ascii nls_iso8859-1 nls_utf8
  button evdev)
PACKAGES=(busybox-static dropbear-bin libtomcrypt1 libtommath1 libc6 libcrypt1 zlib1g
  libgmp10 openssh-sftp-server)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Resolve the kernel package the meta package points at, pinned to the default release.
kpkg="$(apt-cache depends "$KERNEL_META" 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')"
[ -n "$kpkg" ] || { echo "apt knows no $KERNEL_META (run apt-get update)" >&2; exit 1; }
versions="$(apt-cache policy "$kpkg" "${PACKAGES[@]}" | awk '
  /^[^ ]/ { p = $1; sub(/:$/, "", p) }
  /Candidate:/ && $2 != "(none)" { printf "%s=%s ", p, $2; n++ }
  END { if (n != '"$((${#PACKAGES[@]} + 1))"') exit 1 }')" \
  || { echo "apt has no candidate for some of: $kpkg ${PACKAGES[*]}" >&2; exit 1; }
stamp="v$SCRIPT_VERSION $(sha256sum "$HERE/init" "$0" | cut -c1-16 | tr '\n' ' ')$versions"
if [ "${FORCE:-0}" != 1 ] && [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$stamp" ] \
   && [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.img" ]; then
  exit 0
fi

say "building the hosting guest into $OUT ($kpkg)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work" # apt-get download drops to the _apt user
mkdir -p "$work/deb" "$work/x" "$work/root"
(
  cd "$work/deb"
  chmod 0777 . # writable for _apt
  args=()
  for pv in $versions; do args+=("$pv"); done
  apt-get download -q "${args[@]}" >/dev/null
) || {
  if [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.img" ]; then
    echo "warning: could not download the guest's packages; keeping the guest in $OUT" >&2
    exit 0
  fi
  exit 1
}
for d in "$work"/deb/*.deb; do dpkg-deb -x "$d" "$work/x"; done
X="$work/x" R="$work/root"

kver="${kpkg#linux-image-}"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,lib/modules,lib64,etc/dropbear,etc/acpi/PWRF,proc,sys,dev,tmp,run,srv,home,root,var/www,usr/lib/openssh,mnt/seed}

# busybox and its applets (links made at boot by `busybox --install -s`).
cp "$X/bin/busybox" "$R/bin/busybox"
ln -s busybox "$R/bin/sh"

# dropbear, dropbearkey, sftp-server and the libraries they need (DT_NEEDED, recursively).
cp "$X/usr/sbin/dropbear" "$R/usr/sbin/"
cp "$X/usr/bin/dropbearkey" "$R/usr/bin/"
cp "$X/usr/lib/openssh/sftp-server" "$R/usr/lib/openssh/"
ln -s openssh/sftp-server "$R/usr/lib/sftp-server" # where Debian's dropbear looks for it
find_lib() { find "$X/lib" "$X/usr/lib" -name "$1" \( -type f -o -type l \) 2>/dev/null | head -1; }
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
queue=("$R/usr/sbin/dropbear" "$R/usr/bin/dropbearkey" "$R/usr/lib/openssh/sftp-server")
declare -A seen=()
while [ ${#queue[@]} -gt 0 ]; do
  f="${queue[0]}"; queue=("${queue[@]:1}")
  for so in $(needed "$f"); do
    [ -n "${seen[$so]:-}" ] && continue
    seen[$so]=1
    src="$(find_lib "$so")"
    [ -n "$src" ] || { echo "missing shared library $so" >&2; exit 1; }
    cp -L "$src" "$R/lib/$so"
    queue+=("$R/lib/$so")
  done
done
cp -L "$(find_lib ld-linux-x86-64.so.2)" "$R/lib64/ld-linux-x86-64.so.2"

# Kernel modules: each wanted module after its dependencies (the .ko's own modinfo "depends=").
M="$X/lib/modules/$kver"
declare -A modpath=() loaded=()
while IFS= read -r f; do
  n="$(basename "$f")"; n="${n%%.ko*}"; modpath[${n//-/_}]="$f"
done < <(find "$M/kernel" -name '*.ko*')
order=()
add_module() {
  local n="${1//-/_}" dep deps
  [ -n "${loaded[$n]:-}" ] && return 0
  local f="${modpath[$n]:-}"
  if [ -z "$f" ]; then
    grep -q "/${1}.ko" "$M/modules.builtin" 2>/dev/null || grep -q "/${n}.ko" "$M/modules.builtin" \
      || { echo "kernel module $1 not found" >&2; exit 1; }
    loaded[$n]=builtin; return 0
  fi
  local plain="$work/mod-$n.ko"
  case "$f" in
    *.xz) xz -dc "$f" >"$plain" ;;
    *.zst) zstd -qdc "$f" >"$plain" ;;
    *.gz) gzip -dc "$f" >"$plain" ;;
    *) cp "$f" "$plain" ;;
  esac
  deps="$(tr '\0' '\n' <"$plain" | sed -n 's/^depends=//p' | head -1)"
  for dep in ${deps//,/ }; do add_module "$dep"; done
  loaded[$n]=1
  cp "$plain" "$R/lib/modules/$n.ko"
  order+=("$n")
}
for m in "${MODULES[@]}"; do add_module "$m"; done
printf '%s\n' "${order[@]}" >"$R/lib/modules/load-order"

cp "$HERE/init" "$R/init"
chmod 0755 "$R/init"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\n' >"$R/etc/group"
printf '/bin/sh\n' >"$R/etc/shells"
echo "$stamp" >"$R/etc/nuri-guest-version"

mkdir -p "$OUT"
(cd "$R" && find . | LC_ALL=C sort | "$R/bin/busybox" cpio -o -H newc 2>/dev/null) \
  | gzip -1 >"$OUT/initrd.img.tmp"
cp "$X/boot/vmlinuz-$kver" "$OUT/vmlinuz.tmp"
mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
mv "$OUT/initrd.img.tmp" "$OUT/initrd.img"
echo "$stamp" >"$OUT/stamp"
say "guest ready: $OUT/vmlinuz ($kver), $OUT/initrd.img ($(du -h "$OUT/initrd.img" | cut -f1))"
