//! The hypervisors hosting places VMs on: one libvirt connection per configured URI, kept open
//! (the test driver's state, and an embedded QEMU driver's, live as long as the connection) and
//! reopened when it dies. libvirt calls block, so each runs on the blocking pool.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use virt::connect::Connect;
use virt::domain::Domain;

/// How long an answer to "can hosting be used at all?" is reused: pages poll, and asking libvirt
/// each time costs a round trip (and, the first time on an embedded driver, QEMU's probe).
const AVAILABILITY_TTL: Duration = Duration::from_secs(30);

/// Open connections, by URI.
#[derive(Default)]
pub struct Hypervisors {
    open: std::sync::Mutex<HashMap<String, Arc<Connect>>>,
    /// The last availability answer per list of URIs.
    checked: std::sync::Mutex<HashMap<Vec<String>, Checked>>,
}

/// When availability was last asked, and the answer (`Some(why not)` when unavailable).
type Checked = (std::time::Instant, Option<String>);

/// Runs a libvirt call on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| format!("a libvirt call failed: {e}"))?
}

fn message(e: virt::error::Error) -> String {
    e.message().trim().to_owned()
}

impl Hypervisors {
    /// The connection to `uri`, opened on first use.
    pub async fn connect(&self, uri: &str) -> Result<Arc<Connect>, String> {
        let cached = self.open.lock().expect("hypervisors").get(uri).cloned();
        if let Some(conn) = cached {
            let alive = {
                let conn = conn.clone();
                blocking(move || Ok(conn.is_alive().unwrap_or(false))).await?
            };
            if alive {
                return Ok(conn);
            }
        }
        let owned = uri.to_owned();
        let conn = Arc::new(blocking(move || super::guest::open_connection(&owned)).await?);
        self.open
            .lock()
            .expect("hypervisors")
            .insert(uri.to_owned(), conn.clone());
        Ok(conn)
    }

    /// The hypervisor with the most free memory among those that answer, or why none does.
    pub async fn place(&self, uris: &[String]) -> Result<String, String> {
        let mut best: Option<(u64, &String)> = None;
        let mut errors = Vec::new();
        for uri in uris {
            let free = match self.connect(uri).await {
                // Free memory where the host reports it (per NUMA cell), else its total.
                Ok(conn) => {
                    blocking(move || {
                        conn.free_memory()
                            .or_else(|_| conn.node_info().map(|n| n.memory * 1024))
                            .map_err(message)
                    })
                    .await
                }
                Err(e) => Err(e),
            };
            match free {
                Ok(free) if best.is_none_or(|(b, _)| free > b) => best = Some((free, uri)),
                Ok(_) => {}
                Err(e) => errors.push(format!("{uri}: {e}")),
            }
        }
        best.map(|(_, uri)| uri.clone())
            .ok_or_else(|| unavailable(&errors))
    }

    /// `None` when at least one hypervisor answers; else why not, and how to configure one. The
    /// answer is reused for `AVAILABILITY_TTL` (placing a VM always asks afresh).
    pub async fn unavailable(&self, uris: &[String]) -> Option<String> {
        let fresh = |at: &std::time::Instant| at.elapsed() < AVAILABILITY_TTL;
        if let Some((at, answer)) = self.checked.lock().expect("hypervisors").get(uris) {
            if fresh(at) {
                return answer.clone();
            }
        }
        let answer = self.place(uris).await.err();
        self.checked
            .lock()
            .expect("hypervisors")
            .insert(uris.to_vec(), (std::time::Instant::now(), answer.clone()));
        answer
    }
}

fn unavailable(errors: &[String]) -> String {
    format!(
        "no hypervisor answers ({}). Hosting needs libvirt with QEMU: install qemu-system-x86 \
         and libvirt's QEMU driver, or set NURI_HYPERVISORS to the libvirt URIs to use \
         (see the README, \"Hosting\")",
        if errors.is_empty() {
            "none is configured".to_owned()
        } else {
            errors.join("; ")
        }
    )
}

fn lookup(conn: &Connect, name: &str) -> Result<Option<Domain>, String> {
    match conn.lookup_domain_by_name(name) {
        Ok(d) => Ok(Some(d)),
        Err(e) if e.code() == virt::enumutil::Enum::Known(virt::error::ErrorNumber::NoDomain) => {
            Ok(None)
        }
        Err(e) => Err(message(e)),
    }
}

/// The domain operations hosting needs, on one connection.
pub struct Host(pub Arc<Connect>);

impl Host {
    pub async fn define(&self, xml: String) -> Result<(), String> {
        let conn = self.0.clone();
        blocking(move || conn.define_domain_xml(&xml).map(drop).map_err(message)).await
    }

    pub async fn start(&self, name: &str) -> Result<(), String> {
        let (conn, name) = (self.0.clone(), name.to_owned());
        blocking(move || {
            let dom = lookup(&conn, &name)?.ok_or_else(|| format!("no VM named {name}"))?;
            if dom.is_active().map_err(message)? {
                return Ok(());
            }
            dom.create().map_err(message)
        })
        .await
    }

    /// `None`: no such domain; `Some(true)`: running.
    pub async fn running(&self, name: &str) -> Result<Option<bool>, String> {
        let (conn, name) = (self.0.clone(), name.to_owned());
        blocking(move || match lookup(&conn, &name)? {
            Some(dom) => Ok(Some(dom.is_active().map_err(message)?)),
            None => Ok(None),
        })
        .await
    }

    /// Asks the guest to shut down (ACPI) and waits up to `grace`; then pulls the plug.
    pub async fn stop(&self, name: &str, grace: Duration) -> Result<(), String> {
        let (conn, owned) = (self.0.clone(), name.to_owned());
        let asked = blocking(move || match lookup(&conn, &owned)? {
            Some(dom) if dom.is_active().map_err(message)? => {
                Ok(dom.shutdown().map_err(message).is_ok())
            }
            _ => Ok(false),
        })
        .await?;
        if asked {
            let until = tokio::time::Instant::now() + grace;
            while tokio::time::Instant::now() < until {
                if self.running(name).await? != Some(true) {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            tracing::info!(
                vm = name,
                "the guest did not shut down in time; stopping it by force"
            );
        }
        self.destroy(name).await
    }

    /// Stops the domain at once, if it runs.
    pub async fn destroy(&self, name: &str) -> Result<(), String> {
        let (conn, name) = (self.0.clone(), name.to_owned());
        blocking(move || match lookup(&conn, &name)? {
            Some(dom) if dom.is_active().map_err(message)? => dom.destroy().map_err(message),
            _ => Ok(()),
        })
        .await
    }

    /// Stops and forgets the domain; nothing if there is none.
    pub async fn remove(&self, name: &str) -> Result<(), String> {
        self.destroy(name).await?;
        let (conn, name) = (self.0.clone(), name.to_owned());
        blocking(move || match lookup(&conn, &name)? {
            Some(dom) => dom.undefine().map_err(message),
            None => Ok(()),
        })
        .await
    }

    /// The names of every domain (running or not) that start with `prefix`.
    pub async fn names(&self, prefix: &str) -> Result<Vec<String>, String> {
        let (conn, prefix) = (self.0.clone(), prefix.to_owned());
        blocking(move || {
            let mut names = Vec::new();
            for dom in conn.list_all_domains(0).map_err(message)? {
                let name = dom.name().map_err(message)?;
                if name.starts_with(&prefix) {
                    names.push(name);
                }
            }
            Ok(names)
        })
        .await
    }
}
