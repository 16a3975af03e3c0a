//! What a hosting holds outside the database, each named so that nuri finds it again after a
//! crash: the VM (`<prefix><id>`), its folder of files (seed, disk, console log) and its nginx
//! rule (`hosting-<id>`); and its two host ports, claimed under unique keys.

use std::path::PathBuf;
use std::time::Duration;

use entity::hosting;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::guest::{self, Boot, DomainSpec, SeedSpec};
use super::Guest;
use crate::Ctx;

/// The user the guest creates for its owner (SSH and SFTP log in as this).
pub const GUEST_USER: &str = "nuri";

/// `nuri-<8 hex of the data dir>-`: the VMs of this instance, apart from another instance's
/// (or another test's) on the same hypervisor.
pub fn prefix(ctx: &Ctx) -> String {
    let digest = Sha256::digest(ctx.settings.data_dir.to_string_lossy().as_bytes());
    format!("nuri-{}-", &hex::encode(digest)[..8])
}

pub fn vm_name(ctx: &Ctx, id: i32) -> String {
    format!("{}{id}", prefix(ctx))
}

pub fn rule_name(id: i32) -> String {
    format!("hosting-{id}")
}

/// The hosting id a rule belongs to.
pub fn rule_owner(name: &str) -> Option<i32> {
    name.strip_prefix("hosting-")?.parse().ok()
}

pub fn root(ctx: &Ctx) -> PathBuf {
    ctx.settings.data_dir.join("hosting")
}

pub fn dir(ctx: &Ctx, vm_name: &str) -> PathBuf {
    root(ctx).join(vm_name)
}

/// libvirt's test driver runs no guest: its domains are records only.
pub fn simulated(uri: &str) -> bool {
    uri.starts_with("test:")
}

/// Claims a free port from `range` for `column` of hosting `id`: free on this machine and,
/// through the unique key, in no other hosting's row, however many creates race.
pub async fn claim_port(
    ctx: &Ctx,
    id: i32,
    column: hosting::Column,
    range: std::ops::RangeInclusive<u16>,
) -> Result<u16, String> {
    use rand::Rng;
    let (start, end) = (*range.start(), *range.end());
    let span = u32::from(end - start) + 1;
    // Start somewhere random so racing creates rarely try the same port first.
    let offset = rand::thread_rng().gen_range(0..span);
    for i in 0..span {
        let port = start + ((offset + i) % span) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
            continue;
        }
        let claimed = hosting::Entity::update_many()
            .col_expr(column, Expr::value(i32::from(port)))
            .filter(hosting::Column::Id.eq(id))
            .exec(&ctx.db)
            .await;
        match claimed {
            Ok(_) => return Ok(port),
            Err(e) if crate::db::is_unique_violation(&e) => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    Err(format!("every port from {start} to {end} is in use"))
}

/// Lets the ports and the placement go (after the VM that used them is gone).
pub async fn release(ctx: &Ctx, id: i32) -> Result<(), String> {
    hosting::Entity::update_many()
        .col_expr(hosting::Column::SshPort, Expr::value(Option::<i32>::None))
        .col_expr(hosting::Column::HttpPort, Expr::value(Option::<i32>::None))
        .col_expr(hosting::Column::Host, Expr::value(Option::<String>::None))
        .filter(hosting::Column::Id.eq(id))
        .exec(&ctx.db)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The seed (cloud-init NoCloud) and the disk, in the hosting's folder.
pub async fn write_files(
    ctx: &Ctx,
    row: &hosting::Model,
    owner_name: &str,
    keys: &[String],
) -> Result<(), String> {
    let dir = dir(ctx, &row.vm_name);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| format!("could not make {}: {e}", dir.display()))?;
    ctx.settings.hosting.fault("seed")?;
    let seed = dir.join("seed.img");
    let (name, owner, keys) = (row.vm_name.clone(), owner_name.to_owned(), keys.to_vec());
    let web_path = format!("/{}/", row.user_id);
    tokio::task::spawn_blocking(move || {
        guest::write_seed(
            &seed,
            &SeedSpec {
                instance_id: &name,
                hostname: &name,
                user: GUEST_USER,
                owner_name: &owner,
                ssh_keys: &keys,
                web_path: &web_path,
            },
        )
    })
    .await
    .map_err(|e| e.to_string())??;
    ctx.settings.hosting.fault("disk")?;
    let disk = dir.join("disk.qcow2");
    let mut cmd = tokio::process::Command::new("qemu-img");
    cmd.arg("create").arg("-q").arg("-f").arg("qcow2");
    if let Guest::Image(base) = &ctx.settings.hosting.guest {
        cmd.arg("-b").arg(base).arg("-F").arg("qcow2");
    }
    let out = cmd
        .arg(&disk)
        .arg(format!("{}M", row.disk_mib))
        .output()
        .await
        .map_err(|e| format!("could not run qemu-img (install qemu-utils): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "qemu-img could not make the disk: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(())
}

pub async fn remove_files(ctx: &Ctx, vm_name: &str) -> Result<(), String> {
    match tokio::fs::remove_dir_all(dir(ctx, vm_name)).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("could not remove the VM's files: {e}"))
        }
        _ => Ok(()),
    }
}

/// The domain XML for a hosting whose ports are claimed and files written.
pub fn domain_xml(ctx: &Ctx, row: &hosting::Model, host: &str) -> Result<String, String> {
    let dir = dir(ctx, &row.vm_name);
    let (kernel, initrd);
    let boot = match &ctx.settings.hosting.guest {
        Guest::Kernel(folder) => {
            kernel = folder.join("vmlinuz");
            initrd = folder.join("initrd.img");
            Boot::Kernel {
                kernel: &kernel,
                initrd: &initrd,
            }
        }
        Guest::Image(_) => Boot::Disk,
    };
    let port = |p: Option<i32>| {
        p.and_then(|p| u16::try_from(p).ok())
            .ok_or_else(|| "the hosting has no port".to_owned())
    };
    guest::domain_xml(&DomainSpec {
        name: &row.vm_name,
        domain_type: guest::domain_type_for(host),
        memory_mib: row.memory_mib as u32,
        vcpus: row.vcpus as u32,
        boot,
        disk: &dir.join("disk.qcow2"),
        seed: &dir.join("seed.img"),
        ssh_port: port(row.ssh_port)?,
        http_port: port(row.http_port)?,
        console_log: &dir.join("console.log"),
    })
}

/// Whether the guest answers: an HTTP status line on its web port and an SSH banner on its SSH
/// port (through the host forwards).
pub async fn answers(http_port: u16, ssh_port: u16) -> bool {
    let http = async {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", http_port)).await?;
        s.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .await?;
        let mut buf = [0u8; 12];
        s.read_exact(&mut buf).await?;
        std::io::Result::Ok(buf.starts_with(b"HTTP/1."))
    };
    let ssh = async {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", ssh_port)).await?;
        let mut buf = [0u8; 4];
        s.read_exact(&mut buf).await?;
        std::io::Result::Ok(&buf == b"SSH-")
    };
    let within = Duration::from_secs(3);
    let (h, s) = tokio::join!(
        tokio::time::timeout(within, http),
        tokio::time::timeout(within, ssh)
    );
    matches!(h, Ok(Ok(true))) && matches!(s, Ok(Ok(true)))
}
