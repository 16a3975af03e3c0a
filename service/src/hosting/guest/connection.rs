//! Opening libvirt connections for guests, and which domain type a connection can run.
//!
//! `qemu:///embed?root=<dir>` runs libvirt's QEMU driver inside this process (libvirt ≥ 6.1, the
//! `libvirt-daemon-driver-qemu` package; no libvirtd, no systemd): it needs libvirt's default
//! event loop registered before the connection opens and a thread running it, and a `qemu.conf`
//! under `<dir>/etc/` fit for a machine without the `libvirt-qemu` user, cgroups or namespaces.
//! The driver's state lives as long as the connection: keep one open, and when it closes, its
//! running domains are left running but forgotten (libvirt reconnects to them when a connection
//! with the same root opens again).

use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use virt::connect::Connect;

/// Registers libvirt's default event loop (once per process) and runs it on a thread of its own.
/// Must happen before the first connection that needs it opens; harmless for the others. Also
/// stops libvirt printing every error to stderr (expected ones too, like a lookup of a domain
/// that is gone): errors still come back as `Err`.
pub fn ensure_event_loop() {
    static EVENTS: Once = Once::new();
    EVENTS.call_once(|| {
        virt::error::clear_error_callback();
        if virt::event::event_register_default_impl().is_ok() {
            let _ = std::thread::Builder::new()
                .name("libvirt-events".into())
                .spawn(|| loop {
                    if virt::event::event_run_default_impl().is_err() {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                });
        }
    });
}

/// The `root=` of an embedded driver URI, if `uri` is one.
fn embed_root(uri: &str) -> Option<&str> {
    let query = uri.strip_prefix("qemu:///embed?")?;
    query.split('&').find_map(|kv| kv.strip_prefix("root="))
}

/// The `qemu.conf` nuri gives an embedded QEMU driver: QEMU runs as the calling user, no file
/// relabelling or ownership changes, no cgroups or mount namespaces (none of which a container
/// without systemd offers), and a log dir of its own.
const EMBED_QEMU_CONF: &str = "# Written by nuri (service/src/hosting/guest/connection.rs).
user = \"+0\"
group = \"+0\"
dynamic_ownership = 0
remember_owner = 0
security_driver = \"none\"
namespaces = [ ]
cgroup_controllers = [ ]
stdio_handler = \"file\"
";

/// Creates `<root>/etc/qemu.conf` for an embedded QEMU driver unless one is there.
pub fn prepare_embed_root(root: &Path) -> Result<(), String> {
    let etc = root.join("etc");
    let conf = etc.join("qemu.conf");
    if conf.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(&etc)
        .and_then(|()| std::fs::write(&conf, EMBED_QEMU_CONF))
        .map_err(|e| format!("could not write {}: {e}", conf.display()))
}

/// Opens a libvirt connection: registers the event loop first (an embedded driver and
/// keep-alives need it) and, for `qemu:///embed?root=<dir>`, prepares `<dir>`.
pub fn open_connection(uri: &str) -> Result<Connect, String> {
    if let Some(root) = embed_root(uri) {
        prepare_embed_root(Path::new(root))?;
    }
    ensure_event_loop();
    Connect::open(Some(uri)).map_err(|e| format!("cannot connect to {uri}: {}", e.message().trim()))
}

/// Whether KVM can run guests here: `/dev/kvm` opens read-write and the CPU has hardware
/// virtualisation (`vmx`/`svm`). Some sandboxes offer a `/dev/kvm` whose guests die with "KVM
/// internal error … emulation failure" on a CPU without those flags; those get TCG.
pub fn kvm_usable() -> bool {
    let dev = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .is_ok();
    dev && std::fs::read_to_string("/proc/cpuinfo").is_ok_and(|info| {
        info.lines()
            .filter(|l| l.starts_with("flags"))
            .any(|l| l.split_whitespace().any(|f| f == "vmx" || f == "svm"))
    })
}

/// The `<domain type>` for guests on `uri`: `test` for libvirt's test driver, else `kvm` when
/// KVM is usable on this machine (see [`kvm_usable`]; a remote URI is judged by this machine
/// too), else `qemu` (TCG).
pub fn domain_type_for(uri: &str) -> &'static str {
    if uri.starts_with("test:") || uri.starts_with("test+") {
        "test"
    } else if kvm_usable() {
        "kvm"
    } else {
        "qemu"
    }
}
