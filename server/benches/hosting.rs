//! Figures for hosting (`cargo bench -p server --bench hosting`, or `bench/hosting.sh`), printed
//! as a table; not a test. On libvirt's test driver with nuri's own nginx and SQLite:
//! - orchestration time of one create (request → job → `running`: allocate, seed and disk,
//!   define, start, rule with `nginx -t` and reload) and one delete, `ROUNDS` times each;
//! - 20 creates requested at once and run by the worker's four slots, wall time;
//! - nuri's own memory per hosting (RSS growth over `MANY` live hostings).
//!
//! With `NURI_BENCH_GUEST=1` (after `scripts/lib.sh ensure_guest`), also the real TCG guest:
//! create → the welcome page answers through nginx.

use std::time::{Duration, Instant};

use entity::hosting::HostingStatus;
use service::hosting::{self, Op};
use service::testing::TestDb;
use service::{jobs, Actor, Ctx, Registration};

const ROUNDS: usize = 40;
const PARALLEL: usize = 20;
const MANY: usize = 100;
const GUEST_ROUNDS: usize = 3;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run());
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn people(ctx: &Ctx, n: usize) -> Vec<Actor> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(service::testing::quick_person(ctx, &format!("bench{i}@x.test"), None).await);
    }
    out
}

fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| {
        ms(samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1])
    };
    (p(0.5), p(0.99))
}

async fn run() {
    let (tdb, db) = TestDb::new("sqlite").await;
    let base = service::testing::ctx(db.clone(), Registration::Invite);
    let mut s = (*base.settings).clone();
    let listen = std::net::SocketAddr::from(([127, 0, 0, 1], service::testing::free_port()));
    s.hosting.hypervisors = vec!["test:///default".into()];
    s.hosting.nginx.listen = Some(listen);
    s.hosting.web_base = format!("http://{listen}");
    let ctx = Ctx {
        settings: std::sync::Arc::new(s),
        ..base.clone()
    };
    let crowd = people(&ctx, MANY).await;

    // One at a time: create then delete, timed from the request to the recorded end.
    let (mut creates, mut deletes) = (Vec::new(), Vec::new());
    for person in crowd.iter().take(ROUNDS) {
        let began = Instant::now();
        hosting::create(&ctx, Some(person)).await.expect("create");
        jobs::run_pending(&ctx).await.unwrap();
        creates.push(began.elapsed());
        assert_eq!(
            hosting::mine(&ctx, Some(person)).await.unwrap().status,
            HostingStatus::Running
        );
        let began = Instant::now();
        hosting::act(&ctx, Some(person), Op::Delete)
            .await
            .expect("delete");
        jobs::run_pending(&ctx).await.unwrap();
        deletes.push(began.elapsed());
    }

    // Twenty at once, four worker slots.
    let began = Instant::now();
    let batch = &crowd[..PARALLEL];
    for r in
        futures_util::future::join_all(batch.iter().map(|p| hosting::create(&ctx, Some(p)))).await
    {
        r.expect("create");
    }
    let workers = (0..4).map(|_| {
        let ctx = ctx.clone();
        async move { jobs::run_pending(&ctx).await.unwrap() }
    });
    futures_util::future::join_all(workers).await;
    let parallel = began.elapsed();
    for p in batch {
        assert_eq!(
            hosting::mine(&ctx, Some(p)).await.unwrap().status,
            HostingStatus::Running
        );
    }

    // nuri's memory per live hosting.
    let before = rss_kib();
    for p in &crowd[PARALLEL..] {
        hosting::create(&ctx, Some(p)).await.expect("create");
    }
    jobs::run_pending(&ctx).await.unwrap();
    let after = rss_kib();
    let live = crowd.len();

    let (c50, c99) = stats(creates);
    let (d50, d99) = stats(deletes);
    println!();
    println!(
        "| hosting on test:///default + nginx {} | median | p99 |",
        nginx_version()
    );
    println!("|---|---|---|");
    println!("| create → running ({ROUNDS} one at a time) | {c50:.1} ms | {c99:.1} ms |");
    println!("| delete → deleted ({ROUNDS} one at a time) | {d50:.1} ms | {d99:.1} ms |");
    println!(
        "| {PARALLEL} creates at once, all running | {:.0} ms (wall) | |",
        parallel.as_secs_f64() * 1000.0
    );
    println!(
        "| nuri RSS per live hosting ({} more, {live} live) | {:.1} KiB | |",
        MANY - PARALLEL,
        (after.saturating_sub(before)) as f64 / (MANY - PARALLEL) as f64
    );

    for p in &crowd {
        let _ = hosting::act(&ctx, Some(p), Op::Delete).await;
    }
    jobs::run_pending(&ctx).await.unwrap();
    if std::env::var("NURI_BENCH_GUEST").as_deref() == Ok("1") {
        real_guest(&ctx, &crowd[..GUEST_ROUNDS]).await;
    }
    hosting::nginx::shutdown(&ctx).await;
    tdb.finish(db).await;
    service::testing::remove_data_dir(&ctx);
}

fn nginx_version() -> String {
    std::process::Command::new("nginx")
        .arg("-v")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stderr)
                .trim()
                .replace("nginx version: ", "")
        })
        .unwrap_or_default()
}

/// The real guest (TCG here) on libvirt's embedded QEMU driver: from the create request until
/// the web address answers the welcome page through nginx; and the QEMU process's memory.
async fn real_guest(base: &Ctx, people: &[Actor]) {
    let mut s = (*base.settings).clone();
    let root = base.settings.data_dir.join("libvirt");
    s.hosting.hypervisors = vec![format!("qemu:///embed?root={}", root.display())];
    if let Some(dir) = std::env::var_os("NURI_GUEST_DIR") {
        s.hosting.guest = service::hosting::Guest::Kernel(dir.into());
    }
    let ctx = Ctx {
        settings: std::sync::Arc::new(s),
        ..base.clone()
    };
    let port = ctx.settings.hosting.nginx.listen.expect("own nginx").port();
    let mut times = Vec::new();
    let mut qemu_rss = Vec::new();
    for person in people {
        let began = Instant::now();
        hosting::create(&ctx, Some(person)).await.expect("create");
        let worker = {
            let ctx = ctx.clone();
            tokio::spawn(async move { jobs::run_pending(&ctx).await })
        };
        let path = format!("/{}/", person.id());
        loop {
            if answers(port, &path, &person.user.name).await {
                break;
            }
            assert!(
                began.elapsed() < Duration::from_secs(300),
                "no welcome page"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        times.push(began.elapsed());
        worker.await.unwrap().unwrap();
        let vm = hosting::mine(&ctx, Some(person)).await.unwrap().vm_id;
        qemu_rss.push(process_rss_kib(&vm));
        hosting::act(&ctx, Some(person), Op::Delete).await.unwrap();
        jobs::run_pending(&ctx).await.unwrap();
    }
    let mut sorted = times.clone();
    sorted.sort();
    println!(
        "| real guest ({}): create → welcome page through nginx, {} runs | {:.1} s (median) | {} |",
        service::hosting::guest::domain_type_for(&ctx.settings.hosting.hypervisors[0]),
        times.len(),
        sorted[sorted.len() / 2].as_secs_f64(),
        times
            .iter()
            .map(|t| format!("{:.1} s", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "| QEMU process RSS per running guest ({} MiB configured) | {} MiB | |",
        ctx.settings.hosting.memory_mib,
        qemu_rss.iter().max().copied().unwrap_or(0) / 1024
    );
}

async fn answers(port: u16, path: &str, name: &str) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
        return false;
    };
    let request = format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n");
    if s.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(3), s.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out);
    text.starts_with("HTTP/1.1 200") && text.contains(name)
}

/// The RSS of the QEMU process running `vm` (its command line names it).
fn process_rss_kib(vm: &str) -> u64 {
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let cmd = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd);
        if cmd.contains("qemu-system") && cmd.contains(vm) {
            return std::fs::read_to_string(entry.path().join("status"))
                .unwrap_or_default()
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0);
        }
    }
    0
}
