//! Instance secrets, generated on first start and kept in the data dir (mode 0600). Never logged.

use std::io;
use std::path::Path;

use rand::RngCore;

pub struct Keys {
    /// HMAC key for access JWTs.
    pub jwt: Vec<u8>,
    /// Signing key for the session cookie (64 bytes).
    pub session: Vec<u8>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys { .. }")
    }
}

impl Keys {
    pub fn load_or_create(data_dir: &Path) -> io::Result<Keys> {
        let dir = data_dir.join("secrets");
        std::fs::create_dir_all(&dir)?;
        restrict(&dir, 0o700)?;
        Ok(Keys {
            jwt: load_or_create_key(&dir.join("jwt.key"))?,
            session: load_or_create_key(&dir.join("session.key"))?,
        })
    }

    /// Fresh random keys, for tests.
    pub fn random() -> Keys {
        Keys {
            jwt: random_bytes(64),
            session: random_bytes(64),
        }
    }
}

fn load_or_create_key(path: &Path) -> io::Result<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) if bytes.len() >= 64 => Ok(bytes),
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} is shorter than 64 bytes; delete it to generate a new one",
                path.display()
            ),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let key = random_bytes(64);
            let tmp = path.with_extension("tmp");
            std::fs::write(&tmp, &key)?;
            restrict(&tmp, 0o600)?;
            std::fs::rename(&tmp, path)?;
            Ok(key)
        }
        Err(e) => Err(e),
    }
}

pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut v);
    v
}

/// A URL-safe random token with `bytes` bytes of entropy.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(bytes))
}

pub fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}
