//! The guest: its domain XML and its cloud-init seed.
//!
//! The same NoCloud seed (a FAT image labelled `CIDATA` with `meta-data` and `user-data`) serves
//! both guests: a cloud image's cloud-init reads all of it, and nuri's small guest
//! (`scripts/guest/init`, built by `scripts/guest/build.sh`) reads the hostname, the first user,
//! their SSH keys and the welcome page from the fixed layout `templates/hosting/user-data`
//! renders. Templates: `domain.xml` (HTML/XML escaping), `welcome.html` (HTML escaping),
//! `user-data` and `meta-data` (no escaping: every value is passed in as a quoted YAML scalar).

mod connection;

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use askama::Template;

pub use connection::{domain_type_for, open_connection, prepare_embed_root};

/// How the guest boots.
#[derive(Debug, Clone, Copy)]
pub enum Boot<'a> {
    /// Direct kernel boot (nuri's small guest); `disk` is a blank data disk.
    Kernel { kernel: &'a Path, initrd: &'a Path },
    /// From `disk` (an overlay on a cloud image).
    Disk,
}

/// Everything one domain definition needs.
#[derive(Debug, Clone, Copy)]
pub struct DomainSpec<'a> {
    /// libvirt domain name, e.g. `nuri-3fa2b1c0-7`.
    pub name: &'a str,
    /// `test` (libvirt's test driver), `qemu` (TCG) or `kvm`.
    pub domain_type: &'a str,
    pub memory_mib: u32,
    pub vcpus: u32,
    pub boot: Boot<'a>,
    /// qcow2.
    pub disk: &'a Path,
    /// FAT image labelled CIDATA (raw).
    pub seed: &'a Path,
    /// Host ports on 127.0.0.1 forwarded to the guest's 22 and 80 (QEMU user networking).
    pub ssh_port: u16,
    pub http_port: u16,
    /// The guest's serial console is written here.
    pub console_log: &'a Path,
}

/// The kernel command line of the small guest.
pub const KERNEL_CMDLINE: &str = "console=ttyS0 quiet panic=-1";

#[derive(Template)]
#[template(path = "hosting/domain.xml", escape = "html")]
struct DomainXml<'a> {
    domain_type: &'a str,
    qemu: bool,
    name: &'a str,
    memory_mib: u32,
    vcpus: u32,
    kernel: Option<String>,
    initrd: String,
    cmdline: &'a str,
    disk: String,
    seed: String,
    console_log: String,
    ssh_port: u16,
    http_port: u16,
}

/// `path` made absolute (libvirt resolves nothing against nuri's working directory), as UTF-8.
fn path_str(path: &Path) -> Result<String, String> {
    std::path::absolute(path)
        .ok()
        .and_then(|p| p.to_str().map(str::to_owned))
        .filter(|s| !s.chars().any(char::is_control))
        .ok_or_else(|| format!("unusable path for a guest: {}", path.display()))
}

/// The libvirt domain XML. `test` gives XML libvirt's test driver accepts (no QEMU extras);
/// `qemu`/`kvm` add user-mode networking with the two host forwards, a virtio RNG, no balloon.
pub fn domain_xml(spec: &DomainSpec) -> Result<String, String> {
    let qemu = match spec.domain_type {
        "test" => false,
        "qemu" | "kvm" => true,
        other => return Err(format!("unknown domain type {other:?}")),
    };
    if spec.name.is_empty() || spec.name.contains('/') || spec.name.chars().any(char::is_control) {
        return Err(format!("unusable domain name {:?}", spec.name));
    }
    if spec.memory_mib == 0 || spec.vcpus == 0 {
        return Err("a guest needs memory and a CPU".into());
    }
    if qemu && (spec.ssh_port == 0 || spec.http_port == 0 || spec.ssh_port == spec.http_port) {
        return Err("a guest needs two distinct forwarded ports".into());
    }
    let (kernel, initrd) = match spec.boot {
        Boot::Kernel { kernel, initrd } => (Some(path_str(kernel)?), path_str(initrd)?),
        Boot::Disk => (None, String::new()),
    };
    DomainXml {
        domain_type: spec.domain_type,
        qemu,
        name: spec.name,
        memory_mib: spec.memory_mib,
        vcpus: spec.vcpus,
        kernel,
        initrd,
        cmdline: KERNEL_CMDLINE,
        disk: path_str(spec.disk)?,
        seed: path_str(spec.seed)?,
        console_log: path_str(spec.console_log)?,
        ssh_port: spec.ssh_port,
        http_port: spec.http_port,
    }
    .render()
    .map_err(|e| format!("could not render the domain XML: {e}"))
}

/// What the seed says.
#[derive(Debug, Clone, Copy)]
pub struct SeedSpec<'a> {
    pub instance_id: &'a str,
    /// A DNS label: letters, digits, `-`.
    pub hostname: &'a str,
    /// The guest account: lower-case letters, digits, `_`, `-`.
    pub user: &'a str,
    /// The person the welcome page names.
    pub owner_name: &'a str,
    /// OpenSSH public key lines (`ssh-ed25519 AAAA… comment`).
    pub ssh_keys: &'a [String],
    /// Where the page is published, e.g. `/7/`.
    pub web_path: &'a str,
}

#[derive(Template)]
#[template(path = "hosting/welcome.html", escape = "html")]
struct Welcome<'a> {
    owner_name: &'a str,
    web_path: &'a str,
}

#[derive(Template)]
#[template(path = "hosting/user-data", escape = "none")]
struct UserData<'a> {
    hostname: String,
    user: String,
    gecos: String,
    keys: Vec<String>,
    /// The welcome page, each line indented for the `content: |` block.
    page: &'a str,
}

#[derive(Template)]
#[template(path = "hosting/meta-data", escape = "none")]
struct MetaData {
    instance_id: String,
    hostname: String,
}

/// A double-quoted YAML scalar. Only `\` and `"` need escaping once control characters are
/// refused, which keeps the small guest's unquoting (in awk) to those two.
fn yaml_str(field: &str, value: &str) -> Result<String, String> {
    if value.chars().any(char::is_control) {
        return Err(format!("the {field} holds a control character"));
    }
    Ok(format!(
        "\"{}\"",
        value.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

fn check(field: &str, value: &str, ok: impl Fn(char) -> bool, max: usize) -> Result<(), String> {
    if value.is_empty() || value.len() > max || !value.chars().all(ok) || value.starts_with('-') {
        return Err(format!("unusable {field} {value:?}"));
    }
    Ok(())
}

fn check_spec(spec: &SeedSpec) -> Result<(), String> {
    check(
        "hostname",
        spec.hostname,
        |c| c.is_ascii_alphanumeric() || c == '-',
        63,
    )?;
    check(
        "user name",
        spec.user,
        |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-',
        32,
    )?;
    if spec.user.starts_with(|c: char| c.is_ascii_digit()) || spec.user == "root" {
        return Err(format!("unusable user name {:?}", spec.user));
    }
    if spec.instance_id.is_empty() {
        return Err("the seed needs an instance id".into());
    }
    Ok(())
}

/// The welcome page: HTML naming the person (control characters dropped).
pub fn welcome_page(spec: &SeedSpec) -> Result<String, String> {
    let clean = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>();
    Welcome {
        owner_name: &clean(spec.owner_name),
        web_path: &clean(spec.web_path),
    }
    .render()
    .map_err(|e| format!("could not render the welcome page: {e}"))
}

/// `user-data`: `#cloud-config` with the hostname, the user (sudo, SSH keys, password locked),
/// no password logins, nginx serving the welcome page, and a firewall open on 22 and 80.
pub fn user_data(spec: &SeedSpec) -> Result<String, String> {
    check_spec(spec)?;
    let page = welcome_page(spec)?;
    let page = page
        .lines()
        .map(|l| format!("      {l}"))
        .collect::<Vec<_>>()
        .join("\n");
    let keys = spec
        .ssh_keys
        .iter()
        .map(|k| k.trim())
        .filter(|k| !k.is_empty())
        .map(|k| yaml_str("SSH key", k))
        .collect::<Result<Vec<_>, _>>()?;
    UserData {
        hostname: yaml_str("hostname", spec.hostname)?,
        user: yaml_str("user name", spec.user)?,
        gecos: yaml_str(
            "name",
            &spec.owner_name.replace(|c: char| c.is_control(), " "),
        )?,
        keys,
        page: &page,
    }
    .render()
    .map_err(|e| format!("could not render user-data: {e}"))
}

/// `meta-data`: the instance id and the hostname.
pub fn meta_data(spec: &SeedSpec) -> Result<String, String> {
    check_spec(spec)?;
    MetaData {
        instance_id: yaml_str("instance id", spec.instance_id)?,
        hostname: yaml_str("hostname", spec.hostname)?,
    }
    .render()
    .map_err(|e| format!("could not render meta-data: {e}"))
}

/// Size of the seed image: FAT12, plenty for two small files.
const SEED_BYTES: u64 = 2 * 1024 * 1024;

/// Writes the NoCloud seed: a FAT image labelled `CIDATA` holding `user-data` and `meta-data`,
/// through a temporary file renamed into place.
pub fn write_seed(path: &Path, spec: &SeedSpec) -> Result<(), String> {
    let user = user_data(spec)?;
    let meta = meta_data(spec)?;
    let tmp = path.with_extension("img.tmp");
    let fail = |e: std::io::Error| format!("could not write the seed {}: {e}", path.display());
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        file.set_len(SEED_BYTES)?;
        fatfs::format_volume(
            &mut file,
            fatfs::FormatVolumeOptions::new()
                .volume_label(*b"CIDATA     ")
                .fat_type(fatfs::FatType::Fat12),
        )?;
        file.seek(SeekFrom::Start(0))?;
        {
            let fs = fatfs::FileSystem::new(&mut file, fatfs::FsOptions::new())?;
            for (name, body) in [("user-data", &user), ("meta-data", &meta)] {
                let mut f = fs.root_dir().create_file(name)?;
                f.truncate()?;
                f.write_all(body.as_bytes())?;
                f.flush()?;
            }
            fs.unmount()?;
        }
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

#[cfg(test)]
mod tests;
