//! The real small guest under QEMU (TCG, or KVM where usable) through libvirt's embedded QEMU
//! driver (`qemu:///embed`, no daemon): it boots from nuri's seed, serves the welcome page and an
//! SSH banner through the host forwards, shuts down on the ACPI power button and leaves nothing.
//!
//! Needs `scripts/lib.sh`'s `ensure_guest` (QEMU, libvirt's QEMU driver, the guest kernel and
//! initramfs in `NURI_GUEST_DIR`). Without them it says so and passes, unless
//! `NURI_REQUIRE_GUEST=1`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use service::hosting::guest::{self, Boot, DomainSpec, SeedSpec};

fn guest_dir() -> PathBuf {
    std::env::var_os("NURI_GUEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(service::hosting::default_guest)
}

/// Why the real guest cannot run here, if it cannot.
fn missing(dir: &Path) -> Option<String> {
    let have = |p: &str| {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(p).is_file()))
    };
    if !dir.join("vmlinuz").is_file() || !dir.join("initrd.img").is_file() {
        Some(format!("no guest in {} (scripts/guest/build.sh)", dir.display()))
    } else if !have("qemu-system-x86_64") || !have("qemu-img") {
        Some("no qemu-system-x86_64 / qemu-img".into())
    } else if !Path::new("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so")
        .exists()
    {
        Some("no libvirt QEMU driver (libvirt-daemon-driver-qemu)".into())
    } else {
        None
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The body of `GET /` on the forwarded HTTP port, if the guest answers.
fn http_get(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(3))).ok()?;
    s.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    let text = String::from_utf8_lossy(&out).into_owned();
    text.starts_with("HTTP/1.").then_some(text)
}

/// The first line the forwarded SSH port sends, if the guest answers.
fn ssh_banner(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(3))).ok()?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).ok()?;
    let line = String::from_utf8_lossy(&buf[..n]).lines().next()?.to_owned();
    line.starts_with("SSH-").then_some(line)
}

/// Processes whose command line mentions `needle` (a leftover QEMU would).
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if let Ok(cmd) = std::fs::read(entry.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(needle) {
                found.push(format!("{}: {cmd}", entry.file_name().to_string_lossy()));
            }
        }
    }
    found
}

#[test]
fn real_guest_boots_serves_and_leaves_nothing() {
    let dir = guest_dir();
    if let Some(why) = missing(&dir) {
        assert!(
            std::env::var("NURI_REQUIRE_GUEST").as_deref() != Ok("1"),
            "the real guest cannot run: {why}"
        );
        eprintln!("skipped: the real guest cannot run: {why}");
        return;
    }
    let work = std::env::temp_dir().join(format!("nuri-guest-real-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let (disk, seed, console) = (
        work.join("disk.qcow2"),
        work.join("seed.img"),
        work.join("console.log"),
    );
    let keys = vec!["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBlgt0hd2mC4dJ0 probe@nuri".to_owned()];
    let name = format!("nuri-real-{}", std::process::id());
    guest::write_seed(
        &seed,
        &SeedSpec {
            instance_id: &name,
            hostname: &name,
            user: "nuri",
            owner_name: "Probe Person",
            ssh_keys: &keys,
            web_path: "/7/",
        },
    )
    .unwrap();
    let out = std::process::Command::new("qemu-img")
        .args(["create", "-q", "-f", "qcow2"])
        .arg(&disk)
        .arg("256M")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    let uri = format!("qemu:///embed?root={}", work.join("libvirt").display());
    let conn = guest::open_connection(&uri).unwrap();
    let (ssh_port, http_port) = (free_port(), free_port());
    let (kernel, initrd) = (dir.join("vmlinuz"), dir.join("initrd.img"));
    let xml = guest::domain_xml(&DomainSpec {
        name: &name,
        domain_type: guest::domain_type_for(&uri),
        memory_mib: 256,
        vcpus: 1,
        boot: Boot::Kernel {
            kernel: &kernel,
            initrd: &initrd,
        },
        disk: &disk,
        seed: &seed,
        ssh_port,
        http_port,
        console_log: &console,
    })
    .unwrap();
    let dom = conn.define_domain_xml(&xml).unwrap();
    let console_text = || std::fs::read_to_string(&console).unwrap_or_default();

    let started = Instant::now();
    dom.create().unwrap();
    let (mut page, mut banner) = (None, None);
    while started.elapsed() < Duration::from_secs(120) && (page.is_none() || banner.is_none()) {
        std::thread::sleep(Duration::from_millis(250));
        page = page.or_else(|| http_get(http_port));
        banner = banner.or_else(|| ssh_banner(ssh_port));
    }
    let boot = started.elapsed();
    let page = page.unwrap_or_else(|| panic!("no HTTP answer; console:\n{}", console_text()));
    assert!(page.contains("Probe Person"), "{page}");
    let banner = banner.unwrap_or_else(|| panic!("no SSH banner; console:\n{}", console_text()));
    eprintln!("boot → HTTP and SSH ({banner}): {boot:.1?}");

    let stopping = Instant::now();
    dom.shutdown().unwrap();
    while dom.is_active().unwrap_or(false) && stopping.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let graceful = !dom.is_active().unwrap_or(false);
    if !graceful {
        dom.destroy().unwrap();
    }
    eprintln!("shutdown: {:.1?} (graceful: {graceful})", stopping.elapsed());
    assert!(graceful, "no clean power-off; console:\n{}", console_text());
    assert!(console_text().contains("nuri-guest: powering off"));

    dom.undefine().unwrap();
    assert!(conn.lookup_domain_by_name(&name).is_err());
    drop(dom);
    drop(conn); // closes the connection: the embedded driver stops
    assert!(
        processes_mentioning(&work.display().to_string()).is_empty(),
        "{:?}",
        processes_mentioning(&work.display().to_string())
    );
    std::fs::remove_dir_all(&work).unwrap();
}
