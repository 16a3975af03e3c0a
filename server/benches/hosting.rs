//! Figures for hosting (`cargo bench -p server --bench hosting`, or `bench/hosting.sh`), printed
//! as a table; not a test. On libvirt's test driver with nuri's own nginx and SQLite:
//! - orchestration time of one create (request → job → `running`: allocate, seed and disk,
//!   define, start, rule with `nginx -t` and reload) and one delete, `ROUNDS` times each;
//! - 20 creates requested at once and run by the worker's four slots, wall time;
//! - nuri's own memory per hosting (RSS growth over `MANY` live hostings).
//! With `NURI_BENCH_GUEST=1` (after `scripts/lib.sh ensure_guest`), also the real TCG guest:
//! create → the welcome page answers through nginx.

use std::time::{Duration, Instant};

use entity::hosting::HostingStatus;
use service::hosting::{self, Op};
use service::testing::{actor, TestDb};
use service::{jobs, Actor, Ctx, Registration};

const ROUNDS: usize = 40;
const PARALLEL: usize = 20;
const MANY: usize = 100;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run());
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now();
    let mut out = Vec::new();
    for i in 0..n {
        let user = entity::user::ActiveModel {
            email: Set(format!("bench{i}@x.test")),
            name: Set(format!("Bench {i}")),
            name_key: Set(entity::natural::key(&format!("bench {i}"))),
            role: Set(entity::Role::Mentee),
            company_id: Set(None),
            department_id: Set(None),
            is_platform_admin: Set(false),
            is_active: Set(true),
            token_version: Set(0),
            must_change_password: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&ctx.db)
        .await
        .expect("a person");
        out.push(actor(user));
    }
    out
}

fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| ms(samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1]);
    (p(0.5), p(0.99))
}

async fn run() {
    let (tdb, db) = TestDb::new("sqlite").await;
    let base = service::testing::ctx(db.clone(), Registration::Invite);
    let mut s = (*base.settings).clone();
    let listen = std::net::SocketAddr::from(([127, 0, 0, 1], free_port()));
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
        assert_eq!(hosting::mine(&ctx, Some(person)).await.unwrap().status, HostingStatus::Running);
        let began = Instant::now();
        hosting::act(&ctx, Some(person), Op::Delete).await.expect("delete");
        jobs::run_pending(&ctx).await.unwrap();
        deletes.push(began.elapsed());
    }

    // Twenty at once, four worker slots.
    let began = Instant::now();
    let batch = &crowd[..PARALLEL];
    for r in futures_util::future::join_all(batch.iter().map(|p| hosting::create(&ctx, Some(p)))).await {
        r.expect("create");
    }
    let workers = (0..4).map(|_| {
        let ctx = ctx.clone();
        async move { jobs::run_pending(&ctx).await.unwrap() }
    });
    futures_util::future::join_all(workers).await;
    let parallel = began.elapsed();
    for p in batch {
        assert_eq!(hosting::mine(&ctx, Some(p)).await.unwrap().status, HostingStatus::Running);
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
    println!("| hosting on test:///default + nginx {} | median | p99 |", nginx_version());
    println!("|---|---|---|");
    println!("| create → running ({ROUNDS} one at a time) | {c50:.1} ms | {c99:.1} ms |");
    println!("| delete → deleted ({ROUNDS} one at a time) | {d50:.1} ms | {d99:.1} ms |");
    println!("| {PARALLEL} creates at once, all running | {:.0} ms (wall) | |", parallel.as_secs_f64() * 1000.0);
    println!(
        "| nuri RSS per live hosting ({} more, {live} live) | {:.1} KiB | |",
        MANY - PARALLEL,
        (after.saturating_sub(before)) as f64 / (MANY - PARALLEL) as f64
    );

    for p in &crowd {
        let _ = hosting::act(&ctx, Some(p), Op::Delete).await;
    }
    jobs::run_pending(&ctx).await.unwrap();
    hosting::nginx::shutdown(&ctx).await;
    tdb.finish(db).await;
    service::testing::remove_data_dir(&ctx);
}

fn nginx_version() -> String {
    std::process::Command::new("nginx")
        .arg("-v")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stderr).trim().replace("nginx version: ", ""))
        .unwrap_or_default()
}
