//! How hosting is configured (`NURI_HYPERVISORS`, `NURI_HOSTING_*`; see the README).

use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct HostingSettings {
    /// libvirt URIs, in order; a new hosting goes to the one with the most free memory.
    pub hypervisors: Vec<String>,
    /// Host ports forwarded to each guest's SSH (22).
    pub ssh_ports: RangeInclusive<u16>,
    /// Host ports forwarded to each guest's HTTP (80), on 127.0.0.1: what nginx proxies to.
    pub http_ports: RangeInclusive<u16>,
    pub guest: Guest,
    pub memory_mib: u32,
    pub vcpus: u32,
    pub disk_mib: u32,
    pub nginx: NginxSettings,
    /// The name people reach this machine by, in SSH commands.
    pub public_host: String,
    /// Where web addresses start (`<web_base>/<user id>/`).
    pub web_base: String,
    /// How long a started guest may take to answer HTTP and SSH.
    pub ready_within: Duration,
    /// How long a guest gets to shut down before it is stopped by force.
    pub stop_grace: Duration,
    /// Tests only: the step (`define`, `seed`, `start`, `wait`, `rule`, `nginx_test`, `reload`,
    /// and the delete steps) at which hosting operations fail, to prove the rollback; or
    /// `hang:<step>`, where the create job stops forever (a worker killed mid-way).
    pub fail_at: Option<String>,
}

/// What the guest boots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guest {
    /// A kernel and an initramfs (`vmlinuz`, `initrd.img` in this folder) assembled by
    /// `scripts/guest/build.sh` from Debian packages: boots under TCG in seconds, no download.
    Kernel(PathBuf),
    /// An Ubuntu or Debian cloud image (qcow2): each guest's disk is an overlay on it.
    Image(PathBuf),
}

impl Guest {
    /// A folder is a kernel guest, a file a cloud image.
    pub fn from_path(path: PathBuf) -> Guest {
        if path.is_file() {
            Guest::Image(path)
        } else {
            Guest::Kernel(path)
        }
    }
}

/// The nginx that publishes web addresses.
#[derive(Debug, Clone)]
pub struct NginxSettings {
    /// The `nginx` executable.
    pub binary: PathBuf,
    /// nuri runs its own nginx (under `<data dir>/nginx`) listening here: no root and no system
    /// nginx needed. `None`: a system nginx includes `include_dir` and nuri reloads it.
    pub listen: Option<SocketAddr>,
    /// Where a system nginx includes nuri's rules from (`include <dir>/*.conf;` in its server
    /// block). Unused with `listen`.
    pub include_dir: Option<PathBuf>,
}

/// Where the set-up scripts build the kernel guest: `$XDG_DATA_HOME/nuri/guest`, else
/// `~/.local/share/nuri/guest`.
pub fn default_guest() -> PathBuf {
    crate::ctx::default_jupyter()
        .parent()
        .map_or_else(|| PathBuf::from("guest"), |p| p.join("guest"))
}

impl Default for HostingSettings {
    fn default() -> Self {
        Self {
            hypervisors: vec!["qemu:///system".into()],
            ssh_ports: 10000..=20000,
            http_ports: 40000..=44999,
            guest: Guest::Kernel(default_guest()),
            memory_mib: 256,
            vcpus: 1,
            disk_mib: 1024,
            nginx: NginxSettings {
                binary: PathBuf::from("nginx"),
                listen: Some(SocketAddr::from(([127, 0, 0, 1], 8088))),
                include_dir: None,
            },
            public_host: "localhost".into(),
            web_base: "http://localhost:8088".into(),
            ready_within: Duration::from_secs(180),
            stop_grace: Duration::from_secs(30),
            fail_at: None,
        }
    }
}

impl HostingSettings {
    /// Never returns where a test asked a create to hang (its worker "killed" there).
    pub async fn hang(&self, step: &str) {
        if self
            .fail_at
            .as_deref()
            .and_then(|s| s.strip_prefix("hang:"))
            == Some(step)
        {
            std::future::pending::<()>().await;
        }
    }

    /// Fails where a test asked an operation to fail.
    pub fn fault(&self, step: &str) -> Result<(), String> {
        match &self.fail_at {
            Some(s) if s == step => Err(format!("injected fault at step {step}")),
            _ => Ok(()),
        }
    }
}
