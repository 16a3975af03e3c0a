//! `nuri serve | migrate | admin create | version`.

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use service::secrets::Keys;
use service::{Ctx, Settings};
use tower_sessions::session_store::ExpiredDeletion;

use crate::config::Config;
use crate::session_store::DbSessionStore;
use crate::{metrics, router, telemetry};

/// How often expired sessions are removed and overdue tasks announced.
const HOUSEKEEPING: Duration = Duration::from_secs(3600);

#[derive(Debug, Parser)]
#[command(name = "nuri", version, about = "nuri — a self-hosted team platform")]
pub struct Cli {
    /// A config file (default: ./nuri.toml when present). Environment variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run pending migrations, then serve the app (NURI_LISTEN, default 127.0.0.1:3000).
    Serve,
    /// Run pending database migrations and exit.
    Migrate,
    /// Manage accounts from the shell.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Add a demo company full of people, mentorships and tasks (for trying nuri and for
    /// benchmarks). Prints how to sign in.
    Seed {
        /// People in the company (one admin, a mentor per twenty, the rest mentees)
        #[arg(long, default_value_t = 1000)]
        users: usize,
        #[arg(long, default_value_t = 2000)]
        mentorships: usize,
        #[arg(long, default_value_t = 10)]
        tasks_per_mentorship: usize,
    },
    /// Print the version.
    Version,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, mentor or mentee
        #[arg(long, default_value = "admin")]
        role: String,
    },
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A service error as the operator reads it: each field problem on its own line.
fn explain(err: service::ServiceError) -> BoxError {
    match err {
        service::ServiceError::Invalid(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("\n")
            .into(),
        other => other.to_string().into(),
    }
}

pub async fn run(cli: Cli) -> Result<(), BoxError> {
    if let Command::Version = cli.command {
        println!("nuri {}", service::health::VERSION);
        return Ok(());
    }
    let config = Config::load(cli.config.as_deref())?;
    telemetry::init(config.log_format);
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            open_ctx(&config).await?;
            println!("nuri: database is up to date");
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create { email, name, role },
        } => {
            let role = service::users::parse_role(&role).map_err(explain)?;
            let password = read_password()?;
            let ctx = open_ctx(&config).await?;
            let input = service::users::NewUser::new(&email, &name, role, &password);
            let user = service::users::create_by_operator(&ctx, input)
                .await
                .map_err(explain)?;
            println!(
                "nuri: created {} {} (id {})",
                user.role, user.email, user.id
            );
            Ok(())
        }
        Command::Seed {
            users,
            mentorships,
            tasks_per_mentorship,
        } => {
            let ctx = open_ctx(&config).await?;
            let spec = service::seed::SeedSpec {
                users,
                mentorships,
                tasks_per_mentorship,
            };
            let started = std::time::Instant::now();
            let r = service::seed::run(&ctx, spec).await.map_err(|e| match e {
                service::ServiceError::Invalid(f) => f
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            })?;
            println!(
                "nuri: seeded company {} with {} people, {} mentorships, {} tasks in {:.1}s",
                r.company_id,
                r.users,
                r.mentorships,
                r.tasks,
                started.elapsed().as_secs_f64()
            );
            println!("nuri: password for everyone: {}", r.password);
            println!("nuri: admin  {}", r.admin_email);
            println!("nuri: mentor {}", r.mentor_email);
            println!("nuri: mentee {}", r.mentee_email);
            Ok(())
        }
        Command::Version => unreachable!("handled above"),
    }
}

fn read_password() -> Result<String, BoxError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (at least 10 characters, input is visible): ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn open_ctx(config: &Config) -> Result<Ctx, BoxError> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("cannot create data dir {}: {e}", config.data_dir.display()))?;
    let keys = Keys::load_or_create(&config.data_dir)?;
    let db = service::db::open(&config.database_url)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let mut settings = Settings::new(config.registration, config.data_dir.clone());
    settings.workspaces = config.workspaces.clone();
    settings.hosting = config.hosting.clone();
    Ok(Ctx::new(db, keys, settings))
}

async fn serve(config: Config) -> Result<(), BoxError> {
    quiet_libvirt(&config.data_dir);
    let ctx = open_ctx(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr()?;
    let shown = if addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    };
    if !config.site_root.join("pkg").is_dir() {
        tracing::warn!(site_root = %config.site_root.display(), "no site assets found; run `cargo xtask build`");
    }
    let setup_token = service::setup::issue_token(&ctx).await?;
    let sessions = DbSessionStore::new(ctx.db.clone());
    let housekeeping = ctx.clone();
    let exposure = metrics::Exposure::of(&config);
    let state = router::state(ctx, config);
    let app = router::build(state.clone());
    match exposure {
        metrics::Exposure::Separate(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| format!("NURI_METRICS_LISTEN: cannot listen on {addr}: {e}"))?;
            let metrics = metrics::separate_router(state);
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, metrics).await {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            });
            println!("nuri: metrics on http://{addr}/metrics");
        }
        metrics::Exposure::Hidden => tracing::info!(
            "/metrics is off on a public listener: set NURI_METRICS_TOKEN or NURI_METRICS_LISTEN"
        ),
        metrics::Exposure::Token(_) | metrics::Exposure::Open => {}
    }

    println!("nuri: listening on {shown}");
    if let Some(token) = setup_token {
        println!("nuri: no user yet — create the first admin at {shown}/setup?token={token}");
    }
    std::io::stdout().flush()?;

    // tower-sessions' deletion task stops at its first error; start it again after one.
    tokio::spawn(async move {
        loop {
            let run = sessions.clone().continuously_delete_expired(HOUSEKEEPING);
            if let Err(e) = run.await {
                tracing::warn!(error = %e, "could not remove expired sessions");
            }
        }
    });
    let jobs = housekeeping.clone();
    match service::jupyter::reconcile(&jobs).await {
        Ok(n) if n > 0 => tracing::info!(repaired = n, "Jupyter servers reconciled"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not reconcile Jupyter servers"),
    }
    tokio::spawn(service::jobs::worker(jobs.clone()));
    // Hosting: repair what a crash left at once, then look again every few minutes.
    let hosting = jobs.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            if let Err(e) = service::hosting::reconcile(&hosting).await {
                tracing::warn!(error = %e, "could not reconcile hostings");
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            match service::jupyter::cull(&jobs).await {
                Ok(n) if n > 0 => {
                    tracing::info!(stopped = n, "idle or dead Jupyter servers stopped")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not check Jupyter servers"),
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(HOUSEKEEPING);
        loop {
            tick.tick().await;
            match service::notifications::sweep_overdue(&housekeeping).await {
                Ok(n) if n > 0 => tracing::info!(told = n, "overdue tasks announced"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not announce overdue tasks"),
            }
            if let Err(e) = service::auth::throttle::sweep(&housekeeping.db).await {
                tracing::warn!(error = %e, "could not forget old sign-in attempts");
            }
        }
    });

    // No-delay: the Jupyter proxy relays small kernel messages that must not wait (Nagle).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("nuri stopped");
    Ok(())
}

/// SIGTERM or Ctrl-C: stop accepting, finish what is in flight, exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

/// libvirt (in this process: its embedded QEMU driver) logs its own lines to stderr, which would
/// break nuri's log format: they go to `<data dir>/libvirt.log` instead (warnings and errors),
/// unless `LIBVIRT_LOG_OUTPUTS` says otherwise. libvirt reads it when first used, which is later.
fn quiet_libvirt(data_dir: &std::path::Path) {
    if std::env::var_os("LIBVIRT_LOG_OUTPUTS").is_none() {
        let file = std::path::absolute(data_dir.join("libvirt.log"))
            .unwrap_or_else(|_| data_dir.join("libvirt.log"));
        std::env::set_var("LIBVIRT_LOG_OUTPUTS", format!("3:file:{}", file.display()));
    }
}
