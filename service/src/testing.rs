//! Fresh databases for tests: always SQLite (a temp file), plus PostgreSQL when
//! `NURI_TEST_POSTGRES_URL` is set and MariaDB/MySQL when `NURI_TEST_MYSQL_URL` is set. Each test
//! gets its own database, so tests run in parallel without sharing state.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use crate::secrets::{random_token, Keys};
use crate::{Ctx, Registration, Settings};

pub struct TestDb {
    pub backend: &'static str,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Drop { admin_url: String, name: String },
}

/// The backends configured for this run.
pub fn backends() -> Vec<&'static str> {
    let mut v = vec!["sqlite"];
    if std::env::var("NURI_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
        v.push("postgres");
    }
    if std::env::var("NURI_TEST_MYSQL_URL").is_ok_and(|u| !u.is_empty()) {
        v.push("mysql");
    }
    v
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{base}/{name}{query}")
}

impl TestDb {
    /// A new, empty, migrated database on `backend`.
    pub async fn new(backend: &'static str) -> (TestDb, DatabaseConnection) {
        let name = format!(
            "nuri_test_{}",
            random_token(9).to_lowercase().replace(['-', '_'], "x")
        );
        let (url, cleanup) = match backend {
            "sqlite" => {
                let dir = std::env::temp_dir().join("nuri-tests");
                std::fs::create_dir_all(&dir).expect("temp dir");
                let path = dir.join(format!("{name}.db"));
                (
                    format!("sqlite://{}?mode=rwc", path.display()),
                    Cleanup::File(path),
                )
            }
            "postgres" | "mysql" => {
                let var = if backend == "postgres" {
                    "NURI_TEST_POSTGRES_URL"
                } else {
                    "NURI_TEST_MYSQL_URL"
                };
                let admin_url = std::env::var(var).expect("checked by backends()");
                let admin = Database::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("{var}: {e}"));
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                (
                    with_database(&admin_url, &name),
                    Cleanup::Drop { admin_url, name },
                )
            }
            other => panic!("unknown backend {other}"),
        };
        let db = crate::db::open(&url)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        (
            TestDb {
                backend,
                url,
                cleanup,
            },
            db,
        )
    }

    /// Removes the database (call at the end of a passing test; a failing one leaves it to look at).
    pub async fn finish(self, db: DatabaseConnection) {
        db.close().await.ok();
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Drop { admin_url, name } => {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                        .await;
                    admin.close().await.ok();
                }
            }
        }
    }
}

/// Runs `test` once per configured backend, each on a fresh database (removed afterwards).
pub async fn on_every_backend<F, Fut>(registration: Registration, test: F)
where
    F: Fn(Ctx, &'static str) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in backends() {
        let (tdb, db) = TestDb::new(backend).await;
        let ctx = ctx(db.clone(), registration);
        test(ctx.clone(), backend).await;
        tdb.finish(db).await;
        remove_data_dir(&ctx);
    }
}

/// A service context over `db` with fresh keys and a data dir of its own (workspaces keep
/// files there, named by ids every fresh database reuses).
pub fn ctx(db: DatabaseConnection, registration: Registration) -> Ctx {
    let data_dir = std::env::temp_dir()
        .join("nuri-tests")
        .join(format!("data-{}", random_token(9).replace(['-', '_'], "x")));
    std::fs::create_dir_all(&data_dir).expect("test data dir");
    let mut settings = Settings::new(registration, data_dir);
    settings.workspaces.ports = 20000..=20999;
    Ctx::new(db, Keys::random(), settings)
}

/// The Python environment with JupyterLab the real-Jupyter tests use (`NURI_JUPYTER`, else
/// where the set-up scripts put it). Missing, the test fails saying how to make it: these tests
/// never pass by skipping.
pub fn jupyter_venv() -> std::path::PathBuf {
    let venv = std::env::var_os("NURI_JUPYTER")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(crate::ctx::default_jupyter);
    assert!(
        venv.join("bin/jupyter-lab").is_file(),
        "no JupyterLab in {}: run `bash -c 'source scripts/lib.sh && ensure_jupyter'` \
         (or point NURI_JUPYTER at a venv with JupyterLab)",
        venv.display()
    );
    venv
}

/// Fails unless no process works in `dir` within half a second: a notebook run's script and
/// kernels all work in the workspace root (zombies have no cwd). Killed, they go at once; an
/// orphaned kernel would linger for its parent poll (1 s).
pub async fn assert_no_process_in(dir: &std::path::Path) {
    use std::time::{Duration, Instant};
    let dir = std::fs::canonicalize(dir).expect("the directory exists");
    let deadline = Instant::now() + Duration::from_millis(500);
    while let left @ [_, ..] = &processes_in(&dir)[..] {
        assert!(Instant::now() < deadline, "left running: {left:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The pids of the processes whose working directory is `dir`.
pub fn processes_in(dir: &std::path::Path) -> Vec<u32> {
    let entries = std::fs::read_dir("/proc").expect("/proc").flatten();
    let pids = entries.filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok());
    let in_dir =
        |pid: &u32| std::fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|cwd| cwd == dir);
    pids.filter(in_dir).collect()
}

/// A port nothing listens on now on 127.0.0.1 (for a server a test starts, like nuri's nginx).
/// The job worker running beside a test, as it runs in the server; it stops when dropped.
pub struct Worker(tokio::task::JoinHandle<()>);

impl Worker {
    pub fn spawn(ctx: &Ctx) -> Self {
        Self(tokio::spawn(crate::jobs::worker(ctx.clone())))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A mentee made straight in the database, without a password (hashing is slow and many tests
/// and benchmarks need many people, none of whom signs in).
pub async fn quick_person(ctx: &Ctx, email: &str, company: Option<i32>) -> crate::Actor {
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now();
    let user = entity::user::ActiveModel {
        email: Set(email.to_owned()),
        name: Set(email.to_owned()),
        name_key: Set(entity::natural::key(email)),
        role: Set(entity::Role::Mentee),
        company_id: Set(company),
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
    actor(user)
}

/// Removes a test context's data dir (at the end of a passing test).
pub fn remove_data_dir(ctx: &Ctx) {
    let _ = std::fs::remove_dir_all(&ctx.settings.data_dir);
}

/// The cast most tests need: company A's first admin (also the platform admin), a plain admin,
/// two mentors and two mentees; company B's admin and mentee.
pub struct People {
    pub admin: crate::Actor,
    pub company_admin: crate::Actor,
    pub mentor: crate::Actor,
    pub other_mentor: crate::Actor,
    pub mentee: crate::Actor,
    pub other_mentee: crate::Actor,
    pub foreign_admin: crate::Actor,
    pub foreign_mentee: crate::Actor,
}

pub const PASSWORD: &str = "correct horse battery";

/// `user` signed in (by session).
pub fn actor(user: entity::user::Model) -> crate::Actor {
    crate::Actor {
        user,
        via: crate::AuthMethod::Session,
    }
}

pub async fn people(ctx: &Ctx) -> People {
    use crate::users::{create_by_operator, create_user, NewUser};
    use entity::Role;
    let admin = actor(
        create_by_operator(
            ctx,
            NewUser::new("admin@a.test", "Admin A", Role::Admin, PASSWORD),
        )
        .await
        .expect("first admin"),
    );
    let make = |email: &'static str, name: &'static str, role: Role, company: Option<i32>| {
        let admin = admin.clone();
        async move {
            actor(
                create_user(
                    ctx,
                    Some(&admin),
                    NewUser {
                        company_id: company,
                        ..NewUser::new(email, name, role, PASSWORD)
                    },
                )
                .await
                .unwrap_or_else(|e| panic!("{email}: {e:?}")),
            )
        }
    };
    let company_b = crate::org::create_company(
        ctx,
        Some(&admin),
        crate::org::CompanyInput {
            name: "Company B".into(),
            description: None,
        },
    )
    .await
    .expect("company B");
    People {
        company_admin: make("admin2@a.test", "Admin A2", Role::Admin, None).await,
        mentor: make("mentor@a.test", "Mentor A", Role::Mentor, None).await,
        other_mentor: make("mentor2@a.test", "Mentor A2", Role::Mentor, None).await,
        mentee: make("mentee@a.test", "Mentee A", Role::Mentee, None).await,
        other_mentee: make("mentee2@a.test", "Mentee A2", Role::Mentee, None).await,
        foreign_admin: make("admin@b.test", "Admin B", Role::Admin, Some(company_b.id)).await,
        foreign_mentee: make(
            "mentee@b.test",
            "Mentee B",
            Role::Mentee,
            Some(company_b.id),
        )
        .await,
        admin,
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("mysql://root@127.0.0.1:3306", "x"),
            "mysql://root@127.0.0.1:3306/x"
        );
        assert_eq!(
            with_database("mysql://root@h/test?ssl-mode=disabled", "x"),
            "mysql://root@h/x?ssl-mode=disabled"
        );
    }
}
