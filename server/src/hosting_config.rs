//! Hosting's settings from the environment (and `nuri.toml`): which hypervisors, which nginx,
//! what the guest boots. See the README, "Hosting".

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use service::hosting::{Guest, HostingSettings};

/// `nuri.toml` keys for hosting (the environment names without `NURI_`, lower-cased).
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct HostingFile {
    pub hypervisors: Option<String>,
    pub hosting_http_listen: Option<String>,
    pub hosting_nginx_dir: Option<PathBuf>,
    pub hosting_public_host: Option<String>,
    pub hosting_web_base: Option<String>,
    pub hosting_guest: Option<PathBuf>,
    pub hosting_ssh_ports: Option<String>,
    pub hosting_memory_mb: Option<u32>,
}

/// Without `NURI_HYPERVISORS`: the system's libvirt daemon when one listens, else libvirt's QEMU
/// driver inside nuri (`qemu:///embed`, its state under the data dir: no daemon needed).
fn default_hypervisor(data_dir: &Path) -> String {
    let daemon = ["/run/libvirt/libvirt-sock", "/var/run/libvirt/libvirt-sock"]
        .iter()
        .any(|p| Path::new(p).exists());
    if daemon {
        return "qemu:///system".into();
    }
    let dir =
        std::path::absolute(data_dir.join("libvirt")).unwrap_or_else(|_| data_dir.join("libvirt"));
    format!("qemu:///embed?root={}", dir.display())
}

pub fn hosting_settings(
    env: &dyn Fn(&str) -> Option<String>,
    file: &HostingFile,
    data_dir: &Path,
) -> Result<HostingSettings, String> {
    let mut h = HostingSettings {
        hypervisors: vec![default_hypervisor(data_dir)],
        ..HostingSettings::default()
    };
    if let Some(list) = env("NURI_HYPERVISORS").or(file.hypervisors.clone()) {
        h.hypervisors = list
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect();
    }
    if let Some(dir) = env("NURI_HOSTING_NGINX_DIR")
        .map(PathBuf::from)
        .or(file.hosting_nginx_dir.clone())
    {
        // A system nginx includes nuri's rules; nuri runs none of its own.
        h.nginx.include_dir = Some(dir);
        h.nginx.listen = None;
    }
    if let Some(v) = env("NURI_HOSTING_HTTP_LISTEN").or(file.hosting_http_listen.clone()) {
        let addr: SocketAddr = v.parse().map_err(|_| {
            format!("NURI_HOSTING_HTTP_LISTEN: `{v}` is not an address like 127.0.0.1:8088")
        })?;
        h.nginx.listen = Some(addr);
        h.nginx.include_dir = None;
    }
    if let Some(host) = env("NURI_HOSTING_PUBLIC_HOST").or(file.hosting_public_host.clone()) {
        h.public_host = host;
    }
    h.web_base = match env("NURI_HOSTING_WEB_BASE").or(file.hosting_web_base.clone()) {
        Some(base) => base,
        None => match h.nginx.listen {
            Some(addr) => format!("http://{}:{}", h.public_host, addr.port()),
            None => format!("http://{}", h.public_host),
        },
    };
    if let Some(path) = env("NURI_HOSTING_GUEST")
        .map(PathBuf::from)
        .or(file.hosting_guest.clone())
    {
        h.guest = Guest::from_path(path);
    }
    if let Some(v) = env("NURI_HOSTING_SSH_PORTS").or(file.hosting_ssh_ports.clone()) {
        h.ssh_ports = crate::config::parse_ports("NURI_HOSTING_SSH_PORTS", &v)?;
    }
    let memory = match env("NURI_HOSTING_MEMORY_MB") {
        Some(v) => Some(
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|m| *m >= 64)
                .ok_or_else(|| {
                    format!("NURI_HOSTING_MEMORY_MB: `{v}` is not a number of MiB (64 or more)")
                })?,
        ),
        None => file.hosting_memory_mb,
    };
    if let Some(m) = memory {
        h.memory_mib = m;
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_environment() {
        let vars = [
            ("NURI_HYPERVISORS", "test:///default, qemu:///system"),
            ("NURI_HOSTING_HTTP_LISTEN", "127.0.0.1:9090"),
            ("NURI_HOSTING_PUBLIC_HOST", "nuri.example"),
        ];
        let env = |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        let h = hosting_settings(&env, &HostingFile::default(), Path::new("/d")).unwrap();
        assert_eq!(h.hypervisors, ["test:///default", "qemu:///system"]);
        assert_eq!(h.web_base, "http://nuri.example:9090");
        let none = |_: &str| None;
        let default = hosting_settings(&none, &HostingFile::default(), Path::new("/d")).unwrap();
        assert!(
            default.hypervisors == ["qemu:///system"]
                || default.hypervisors == ["qemu:///embed?root=/d/libvirt"],
            "{:?}",
            default.hypervisors
        );
        let bad = |k: &str| (k == "NURI_HOSTING_HTTP_LISTEN").then(|| "nine".to_owned());
        assert!(
            hosting_settings(&bad, &HostingFile::default(), Path::new("/d"))
                .unwrap_err()
                .contains("NURI_HOSTING_HTTP_LISTEN")
        );
    }
}
