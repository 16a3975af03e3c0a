//! The SSH public keys people add in their account settings; a new hosting's guest gets them.
//! A key is checked the way `ssh-keygen -l` reads it (the algorithm inside the blob must match
//! the one named, RSA keys have at least 2048 bits), and shown by its SHA-256 fingerprint.

use base64::Engine;
use chrono::Utc;
use entity::ssh_key::{self, NewSshKey, SshKey};
use entity::FieldError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use crate::policy::{self, Action};
use crate::{Actor, Ctx, Result, ServiceError};

/// Keys one person may keep.
pub const MAX_KEYS: u64 = 20;
const NAME_MAX: usize = 100;
const LINE_MAX: usize = 16 * 1024;

const ALGORITHMS: &[&str] = &[
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// A key that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub algorithm: String,
    /// `<algorithm> <base64>`, without the comment.
    pub public_key: String,
    pub comment: String,
    pub fingerprint: String,
}

fn bad(code: &str, message: &str) -> FieldError {
    FieldError::new("public_key", code, message)
}

/// Reads one line of an `id_*.pub` file.
pub fn parse(line: &str) -> std::result::Result<Parsed, FieldError> {
    let line = line.trim();
    if line.is_empty() {
        return Err(bad(
            "required",
            "paste a public key (the contents of ~/.ssh/id_ed25519.pub)",
        ));
    }
    if line.contains("PRIVATE KEY") {
        return Err(bad(
            "private_key",
            "this is a private key: never share it. Paste the matching .pub file instead",
        ));
    }
    if line.len() > LINE_MAX || line.lines().count() > 1 {
        return Err(bad("one_key", "paste one key, on one line"));
    }
    let mut fields = line.split_whitespace();
    let algorithm = fields.next().unwrap_or_default();
    let data = fields.next().unwrap_or_default();
    let comment = fields.collect::<Vec<_>>().join(" ");
    if !ALGORITHMS.contains(&algorithm) {
        return Err(bad(
            "algorithm",
            "not an SSH public key: it should start with ssh-ed25519, ssh-rsa or ecdsa-sha2-…",
        ));
    }
    let blob = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| {
            bad(
                "encoding",
                "the key is damaged: its base64 part does not decode",
            )
        })?;
    let mut reader = Reader(&blob);
    let inner = reader
        .string()
        .ok_or_else(|| bad("encoding", "the key is damaged"))?;
    if inner != algorithm.as_bytes() {
        return Err(bad(
            "encoding",
            "the key is damaged: the algorithm inside does not match its name",
        ));
    }
    match algorithm {
        "ssh-ed25519" => {
            let key = reader
                .string()
                .ok_or_else(|| bad("encoding", "the key is damaged"))?;
            if key.len() != 32 {
                return Err(bad("encoding", "the key is damaged: wrong length"));
            }
        }
        "ssh-rsa" => {
            let _e = reader
                .string()
                .ok_or_else(|| bad("encoding", "the key is damaged"))?;
            let n = reader
                .string()
                .ok_or_else(|| bad("encoding", "the key is damaged"))?;
            let n = n.strip_prefix(&[0u8][..]).unwrap_or(n);
            if n.len() * 8 < 2048 {
                return Err(bad(
                    "weak",
                    "RSA keys need at least 2048 bits; an ed25519 key is better still",
                ));
            }
        }
        _ => {
            reader
                .string()
                .ok_or_else(|| bad("encoding", "the key is damaged"))?;
        }
    }
    let digest = Sha256::digest(&blob);
    let fingerprint = format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest)
    );
    Ok(Parsed {
        algorithm: algorithm.to_owned(),
        public_key: format!("{algorithm} {data}"),
        comment,
        fingerprint,
    })
}

/// SSH wire format: a big-endian `u32` length, then that many bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn string(&mut self) -> Option<&'a [u8]> {
        let len = u32::from_be_bytes(self.0.get(..4)?.try_into().ok()?) as usize;
        let value = self.0.get(4..4 + len)?;
        self.0 = &self.0[4 + len..];
        Some(value)
    }
}

fn view(m: ssh_key::Model) -> SshKey {
    SshKey {
        id: m.id,
        name: m.name,
        algorithm: m.algorithm,
        fingerprint: m.fingerprint,
        created_at: m.created_at,
    }
}

pub async fn list(ctx: &Ctx, actor: Option<&Actor>) -> Result<Vec<SshKey>> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    Ok(ssh_key::Entity::find()
        .filter(ssh_key::Column::UserId.eq(me.id()))
        .order_by_asc(ssh_key::Column::Id)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

pub async fn add(ctx: &Ctx, actor: Option<&Actor>, new: NewSshKey) -> Result<SshKey> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let parsed = parse(&new.public_key).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let name = match new.name.trim() {
        "" if parsed.comment.is_empty() => parsed.algorithm.clone(),
        "" => parsed.comment.clone(),
        given => given.to_owned(),
    };
    let mut problems = crate::error::Problems::default();
    problems.line("name", &name, true, NAME_MAX);
    problems.into_result()?;
    let count = ssh_key::Entity::find()
        .filter(ssh_key::Column::UserId.eq(me.id()))
        .count(&ctx.db)
        .await?;
    if count >= MAX_KEYS {
        return Err(ServiceError::Conflict(FieldError::new(
            "public_key",
            "too_many",
            format!("you have {MAX_KEYS} keys already; remove one first"),
        )));
    }
    let row = ssh_key::ActiveModel {
        user_id: Set(me.id()),
        name: Set(name),
        algorithm: Set(parsed.algorithm),
        public_key: Set(parsed.public_key),
        fingerprint: Set(parsed.fingerprint),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await
    .map_err(|e| match crate::db::is_unique_violation(&e) {
        true => ServiceError::Conflict(FieldError::new(
            "public_key",
            "duplicate_key",
            "you added this key already",
        )),
        false => e.into(),
    })?;
    Ok(view(row))
}

pub async fn delete(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<()> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let done = ssh_key::Entity::delete_many()
        .filter(ssh_key::Column::Id.eq(id))
        .filter(ssh_key::Column::UserId.eq(me.id()))
        .exec(&ctx.db)
        .await?;
    if done.rows_affected == 0 {
        return Err(ServiceError::NotFound { what: "SSH key" });
    }
    Ok(())
}

/// The lines a guest's `authorized_keys` gets.
pub async fn authorized_keys(ctx: &Ctx, user_id: i32) -> Result<Vec<String>> {
    Ok(ssh_key::Entity::find()
        .filter(ssh_key::Column::UserId.eq(user_id))
        .order_by_asc(ssh_key::Column::Id)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|k| format!("{} {}", k.public_key, k.name.replace(['\n', '\r'], " ")))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made by `ssh-keygen -t ed25519 -C me@example.com`; `ssh-keygen -lf` printed the fingerprint.
    pub const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMZhQf+TJQkA4YYP8bOWODNzk1OUHbL30lLKdX/xji5R me@example.com";
    const FINGERPRINT: &str = "SHA256:56zeh5MLCm43BgQS+I5mfqoL54i2hcRR/4GPsJrQVoU";
    // `ssh-keygen -t rsa -b 1024`: too short.
    const RSA_1024: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC9rXRvmPHos9LfTcz3KDLhTv/ouS0O7WQUdQvDZ5dWXJF0gJpjG2iEdeHWbnZMR9CE7RYgvGSpKJ2dP6aA538virSOvS0sXh0LTE0ai00zjutLlC2qnEbonRJaSZ1pizml1J3hikAJ7qud9LTNPjNejjrc/toOXP9kJTuAU6w9aQ==";

    #[test]
    fn reads_a_key_and_its_fingerprint_as_ssh_keygen_does() {
        let p = parse(ED25519).unwrap();
        assert_eq!(p.algorithm, "ssh-ed25519");
        assert_eq!(p.comment, "me@example.com");
        assert_eq!(p.fingerprint, FINGERPRINT);
        assert_eq!(parse(RSA_1024).unwrap_err().code, "weak");
    }

    #[test]
    fn refuses_what_is_not_a_public_key() {
        for (input, code) in [
            ("", "required"),
            ("-----BEGIN OPENSSH PRIVATE KEY-----", "private_key"),
            ("ssh-dss AAAAB3NzaC1kc3M=", "algorithm"),
            ("ssh-ed25519 !!!", "encoding"),
            // An RSA blob under an ed25519 name.
            ("ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQAB", "encoding"),
        ] {
            assert_eq!(parse(input).unwrap_err().code, code, "{input}");
        }
    }
}
