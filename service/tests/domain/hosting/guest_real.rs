//! The one test with a real guest: QEMU (TCG, or KVM where usable) through libvirt's embedded
//! QEMU driver (`qemu:///embed`, no daemon), the small Debian-built guest, nuri's own nginx.
//! Through the service: create → `running`; the web address answers the welcome page through
//! nginx; the SSH port answers and logs in with the key from the account; stop (graceful) and
//! start; delete leaves no domain, disk, seed, rule, port or QEMU process.
//!
//! Needs `scripts/lib.sh`'s `ensure_guest` (QEMU, libvirt's QEMU driver, the guest in
//! `NURI_GUEST_DIR`); without them it fails saying how to get them (it never passes by skipping).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use entity::hosting::HostingStatus;
use service::hosting::{self, Guest, Op};
use service::testing::{people, TestDb};
use service::{jobs, Registration};

use super::support::{finish, hosting_ctx, nothing_left};

fn guest_dir() -> PathBuf {
    std::env::var_os("NURI_GUEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(hosting::default_guest)
}

/// Why the real guest cannot run here, if it cannot.
fn missing(dir: &Path) -> Option<String> {
    let on_path = |p: &str| {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(p).is_file()))
    };
    if !dir.join("vmlinuz").is_file() || !dir.join("initrd.img").is_file() {
        Some(format!("no guest in {}", dir.display()))
    } else if !on_path("qemu-system-x86_64") || !on_path("qemu-img") {
        Some("no qemu-system-x86_64 / qemu-img".into())
    } else if !Path::new(
        "/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so",
    )
    .exists()
    {
        Some("no libvirt QEMU driver (libvirt-daemon-driver-qemu)".into())
    } else {
        None
    }
}

/// `GET <path>` on `port` (HTTP/1.0), the whole answer.
fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").as_bytes())
        .ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn ssh_banner(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf[..n]).into_owned())
}

/// Processes whose command line mentions `needle` (a leftover QEMU would).
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if let Ok(cmd) = std::fs::read(entry.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(needle) && cmd.contains("qemu-system") {
                found.push(cmd);
            }
        }
    }
    found
}

/// A fresh ed25519 key pair (OpenSSH's ssh-keygen) in `dir`.
fn ssh_key(dir: &Path) -> (PathBuf, String) {
    let key = dir.join("id_ed25519");
    let made = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "real@nuri", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen (openssh-client)");
    assert!(made.success());
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    (key, public.trim().to_owned())
}

fn ssh(key: &Path, port: u16, command: &str) -> String {
    let out = std::process::Command::new("ssh")
        .arg("-i")
        .arg(key)
        .args(["-p", &port.to_string()])
        .args(["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no"])
        .args(["-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"])
        .args(["nuri@127.0.0.1", command])
        .output()
        .expect("ssh (openssh-client)");
    assert!(out.status.success(), "ssh: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn run_until_settled(ctx: &service::Ctx) {
    jobs::run_pending(ctx).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_guest_serves_its_page_through_nginx_and_leaves_nothing() {
    let dir = guest_dir();
    if let Some(why) = missing(&dir) {
        panic!(
            "the real guest cannot run: {why}. Run `bash -c 'source scripts/lib.sh && ensure_guest'`"
        );
    }
    let (tdb, db) = TestDb::new("sqlite").await;
    let base = service::testing::ctx(db.clone(), Registration::Invite);
    let ctx = hosting_ctx(&base);
    let mut s = (*ctx.settings).clone();
    let root = ctx.settings.data_dir.join("libvirt");
    s.hosting.hypervisors = vec![format!("qemu:///embed?root={}", root.display())];
    s.hosting.guest = Guest::Kernel(dir);
    s.hosting.ready_within = Duration::from_secs(180);
    s.hosting.stop_grace = Duration::from_secs(30);
    let ctx = service::Ctx {
        settings: std::sync::Arc::new(s),
        ..ctx
    };
    let p = people(&ctx).await;
    let me = Some(&p.mentee);
    let (key, public) = ssh_key(&ctx.settings.data_dir);
    service::ssh_keys::add(
        &ctx,
        me,
        entity::ssh_key::NewSshKey {
            public_key: public,
            name: String::new(),
        },
    )
    .await
    .unwrap();

    let began = Instant::now();
    let h = hosting::create(&ctx, me).await.unwrap();
    run_until_settled(&ctx).await;
    let running = hosting::mine(&ctx, me).await.unwrap();
    assert_eq!(
        running.status,
        HostingStatus::Running,
        "{:?}",
        running.error
    );
    eprintln!("create → running: {:.1?}", began.elapsed());

    // The web address, through nginx, is the guest's welcome page naming its owner.
    let web = running.web_url.clone().unwrap();
    let nginx_port = ctx.settings.hosting.nginx.listen.unwrap().port();
    let path = web.split_once(&format!(":{nginx_port}")).unwrap().1;
    let page = http_get(nginx_port, path).unwrap_or_default();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains(&p.mentee.user.name), "{page}");
    eprintln!("create → page through nginx: {:.1?}", began.elapsed());

    // SSH answers on the person's port and lets them in with the key from their account.
    let port = running.ssh_port.unwrap();
    assert!(ssh_banner(port).unwrap_or_default().starts_with("SSH-"));
    assert_eq!(ssh(&key, port, "hostname").trim(), h.vm_id);

    hosting::act(&ctx, me, Op::Stop).await.unwrap();
    run_until_settled(&ctx).await;
    let stopped = hosting::mine(&ctx, me).await.unwrap();
    assert_eq!(
        stopped.status,
        HostingStatus::Stopped,
        "{:?}",
        stopped.error
    );
    let events = hosting::events(&ctx, me).await.unwrap();
    assert!(events.iter().any(|e| e.to == HostingStatus::Stopped));

    hosting::act(&ctx, me, Op::Start).await.unwrap();
    run_until_settled(&ctx).await;
    let again = hosting::mine(&ctx, me).await.unwrap();
    assert_eq!(again.status, HostingStatus::Running, "{:?}", again.error);
    let page = http_get(nginx_port, path).unwrap_or_default();
    assert!(
        page.contains(&p.mentee.user.name),
        "after a restart: {page}"
    );

    hosting::act(&ctx, me, Op::Delete).await.unwrap();
    run_until_settled(&ctx).await;
    nothing_left(&ctx, &h, "real guest").await;
    // A second hosting after the first is gone (the connection is reused).
    let began = Instant::now();
    let second = hosting::create(&ctx, me).await.unwrap();
    tokio::time::timeout(Duration::from_secs(120), run_until_settled(&ctx))
        .await
        .expect("the second create finishes");
    let running = hosting::mine(&ctx, me).await.unwrap();
    assert_eq!(
        running.status,
        HostingStatus::Running,
        "{:?}",
        running.error
    );
    eprintln!("second create → running: {:.1?}", began.elapsed());
    hosting::act(&ctx, me, Op::Delete).await.unwrap();
    run_until_settled(&ctx).await;
    nothing_left(&ctx, &second, "real guest, second").await;
    let left = processes_mentioning(&ctx.settings.data_dir.display().to_string());
    assert!(left.is_empty(), "QEMU left running: {left:?}");
    finish(&ctx).await;
    tdb.finish(db).await;
    service::testing::remove_data_dir(&ctx);
}
