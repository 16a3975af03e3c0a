//! The nginx rules that publish web addresses: `<web base>/<user id>/` proxies to the port
//! forwarded to the guest's HTTP.
//!
//! Either nuri runs its own nginx (`listen` set: everything under `<data dir>/nginx`, started
//! by nuri, no root needed) or a system nginx includes nuri's rules folder (`include_dir`) and
//! nuri only writes rules and reloads it.
//!
//! Every change is written, tested with `nginx -t` on the whole configuration, then reloaded;
//! a configuration nginx refuses (or a reload that fails) puts the previous file back, so a bad
//! rule never reaches the running nginx. Changes within this process take turns per rules
//! folder, so one change's test and reload never interleave with another's.

mod conf;
mod process;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::Ctx;
use conf::Prefix;

/// One published web address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The address is `/<user_id>/`.
    pub user_id: i32,
    /// The host port (on 127.0.0.1) forwarded to the guest's port 80.
    pub upstream_port: u16,
    /// Named in a comment atop the rule, for whoever reads the file.
    pub owner_name: String,
}

/// Which nginx, from the settings.
enum Nginx<'a> {
    Own {
        binary: &'a Path,
        prefix: Prefix,
        listen: std::net::SocketAddr,
    },
    System {
        binary: &'a Path,
        rules: PathBuf,
    },
}

impl<'a> Nginx<'a> {
    fn of(ctx: &'a Ctx) -> Result<Nginx<'a>, String> {
        let s = &ctx.settings.hosting.nginx;
        match (s.listen, &s.include_dir) {
            (Some(listen), _) => Ok(Nginx::Own {
                binary: &s.binary,
                prefix: Prefix(ctx.settings.data_dir.join("nginx")),
                listen,
            }),
            (None, Some(dir)) => Ok(Nginx::System {
                binary: &s.binary,
                rules: dir.clone(),
            }),
            (None, None) => Err(
                "web addresses are not set up: nuri needs either an address for \
                                 its own nginx to listen on, or the folder a system nginx \
                                 includes its rules from"
                    .into(),
            ),
        }
    }

    fn rules(&self) -> PathBuf {
        match self {
            Nginx::Own { prefix, .. } => prefix.rules(),
            Nginx::System { rules, .. } => rules.clone(),
        }
    }

    fn binary(&self) -> &Path {
        match self {
            Nginx::Own { binary, .. } | Nginx::System { binary, .. } => binary,
        }
    }

    /// Own: the configuration written and nginx running. System: the rules folder usable.
    async fn ensure(&self) -> Result<(), String> {
        match self {
            Nginx::Own {
                binary,
                prefix,
                listen,
            } => {
                prefix
                    .create_dirs()
                    .map_err(|e| format!("could not create {}: {e}", prefix.0.display()))?;
                let path = prefix.conf();
                let text = prefix.render(*listen)?;
                let old = conf::read_optional(&path)?;
                let changed = old.as_deref() != Some(text.as_str());
                if changed {
                    conf::write_atomic(&path, &text)?;
                }
                match process::master(prefix) {
                    None => process::start(binary, prefix).await,
                    Some(_) if !changed => Ok(()),
                    Some(_) => self.test_and_reload(&path, old.as_deref(), None).await,
                }
            }
            Nginx::System { rules, .. } => writable_dir(rules),
        }
    }

    /// `nginx -t` on the whole configuration: nginx's own message if it refuses it.
    async fn test(&self) -> Result<(), String> {
        let mut args = vec!["-t".into(), "-q".into()];
        if let Nginx::Own { prefix, .. } = self {
            args.extend(prefix.args());
        }
        process::run(self.binary(), &args).await
    }

    async fn reload(&self) -> Result<(), String> {
        match self {
            Nginx::Own { binary, prefix, .. } => match process::master(prefix) {
                Some(pid) => process::reload(binary, prefix, pid).await,
                None => process::start(binary, prefix).await,
            },
            Nginx::System { binary, .. } => {
                process::run(binary, &["-s".into(), "reload".into()]).await
            }
        }
    }

    /// After `path` changed (it held `old`): test, then reload. If either fails, `old` goes back
    /// (and, after a failed reload, is reloaded) and the failure is reported.
    async fn test_and_reload(
        &self,
        path: &Path,
        old: Option<&str>,
        faults: Option<&crate::hosting::HostingSettings>,
    ) -> Result<(), String> {
        let fault = |step| faults.map_or(Ok(()), |h| h.fault(step));
        if let Err(e) = async {
            fault("nginx_test")?;
            self.test().await
        }
        .await
        {
            conf::restore(path, old)?;
            return Err(e);
        }
        if let Err(e) = async {
            self.reload().await?;
            fault("reload")
        }
        .await
        {
            conf::restore(path, old)?;
            if let Err(again) = self.reload().await {
                tracing::error!(error = %again, "nginx: reloading the previous configuration failed");
            }
            return Err(e);
        }
        Ok(())
    }
}

fn writable_dir(dir: &Path) -> Result<(), String> {
    if !dir.is_dir() {
        return Err(format!(
            "the folder nginx includes nuri's rules from, {}, does not exist",
            dir.display()
        ));
    }
    let probe = dir.join(".nuri-write-test");
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| {
            format!(
                "nuri cannot write to {}, the folder nginx includes its rules from: {e}",
                dir.display()
            )
        })
}

/// One turn at a time per rules folder.
async fn turn(rules: PathBuf) -> tokio::sync::OwnedMutexGuard<()> {
    static TURNS: OnceLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let lock = {
        let mut turns = TURNS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        turns.entry(rules).or_default().clone()
    };
    lock.lock_owned().await
}

/// Runs a change to its end even if the caller stops waiting (a job cancelled mid-way): a file
/// written is always tested and, if refused, taken back.
async fn to_completion<F, Fut>(ctx: &Ctx, change: F) -> Result<(), String>
where
    F: FnOnce(Ctx) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    tokio::spawn(change(ctx.clone()))
        .await
        .map_err(|e| format!("the nginx change failed: {e}"))?
}

/// Own instance: writes `<data dir>/nginx/nginx.conf` and starts nginx unless it already runs
/// (a changed configuration is tested and reloaded). System nginx: checks that the rules
/// folder exists and is writable; starts nothing. Safe to call any number of times.
pub async fn ensure_running(ctx: &Ctx) -> Result<(), String> {
    to_completion(ctx, |ctx| async move {
        let nginx = Nginx::of(&ctx)?;
        let _turn = turn(nginx.rules()).await;
        nginx.ensure().await
    })
    .await
}

/// Publishes (or updates) the rule `name`: written, tested, reloaded. A rule nginx refuses is
/// taken back (the previous one restored) and the error is nginx's own message.
pub async fn apply_rule(ctx: &Ctx, name: &str, rule: &Rule) -> Result<(), String> {
    conf::check_name(name)?;
    let (name, rule) = (name.to_owned(), rule.clone());
    to_completion(ctx, |ctx| async move { apply(&ctx, &name, &rule).await }).await
}

async fn apply(ctx: &Ctx, name: &str, rule: &Rule) -> Result<(), String> {
    let nginx = Nginx::of(ctx)?;
    let _turn = turn(nginx.rules()).await;
    nginx.ensure().await?;
    ctx.settings.hosting.fault("rule")?;
    let text = conf::render_rule(rule)?;
    let path = nginx.rules().join(format!("{name}.conf"));
    let old = conf::read_optional(&path)?;
    if old.as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    conf::write_atomic(&path, &text)?;
    nginx
        .test_and_reload(&path, old.as_deref(), Some(&ctx.settings.hosting))
        .await
}

/// Takes the rule `name` down (tested and reloaded like a change). No rule: nothing to do.
pub async fn remove_rule(ctx: &Ctx, name: &str) -> Result<(), String> {
    conf::check_name(name)?;
    let name = name.to_owned();
    to_completion(ctx, |ctx| async move { remove(&ctx, &name).await }).await
}

async fn remove(ctx: &Ctx, name: &str) -> Result<(), String> {
    let nginx = Nginx::of(ctx)?;
    let _turn = turn(nginx.rules()).await;
    ctx.settings.hosting.fault("unrule")?;
    let path = nginx.rules().join(format!("{name}.conf"));
    let Some(old) = conf::read_optional(&path)? else {
        return Ok(());
    };
    nginx.ensure().await?;
    conf::remove(&path)?;
    nginx
        .test_and_reload(&path, Some(&old), Some(&ctx.settings.hosting))
        .await
}

/// The names of the rules present, sorted (for the reconciler: orphans and missing rules).
pub fn rule_names(ctx: &Ctx) -> Vec<String> {
    let Ok(nginx) = Nginx::of(ctx) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(nginx.rules()) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".conf")?;
            conf::valid_name(stem).then(|| stem.to_owned())
        })
        .collect();
    names.sort();
    names
}

/// Whether the rule `name` exists.
pub fn has_rule(ctx: &Ctx, name: &str) -> bool {
    conf::valid_name(name)
        && Nginx::of(ctx).is_ok_and(|n| n.rules().join(format!("{name}.conf")).is_file())
}

/// Own instance: stops nuri's nginx and waits until it has gone (at shutdown, and at the end of
/// tests). Nothing to do for a system nginx.
pub async fn shutdown(ctx: &Ctx) {
    if let Ok(nginx @ Nginx::Own { .. }) = Nginx::of(ctx) {
        let _turn = turn(nginx.rules()).await;
        if let Nginx::Own { prefix, .. } = &nginx {
            process::stop(prefix).await;
        }
    }
}
