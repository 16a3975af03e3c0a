//! argon2id hashing with the OWASP-recommended parameters (m = 19 MiB, t = 2, p = 1) and the
//! minimum rules a new password must meet.

use std::cell::RefCell;
use std::sync::OnceLock;

use argon2::password_hash::{
    self, rand_core::OsRng, Output, ParamsString, PasswordHash, PasswordHasher, Salt, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use entity::FieldError;

use crate::{Result, ServiceError};

mod hashing;

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

/// A few passwords that meet the length rule and are still guessed first.
const COMMON: &[&str] = &[
    "1234567890",
    "0123456789",
    "password12",
    "password123",
    "password1234",
    "qwertyuiop",
    "1q2w3e4r5t",
    "asdfghjkl1",
    "iloveyou12",
    "abcdefghij",
    "qwerty1234",
    "1111111111",
];

fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("static argon2 params are valid")
}

/// argon2's work memory (19 MiB), kept by each hashing thread and reused for every hash: a fresh
/// allocation per hash is what the allocator kept after a burst.
fn with_memory<R>(params: &Params, f: impl FnOnce(&mut [Block]) -> R) -> R {
    thread_local! {
        static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
    }
    MEMORY.with_borrow_mut(|memory| {
        memory.resize(params.block_count(), Block::default());
        f(memory)
    })
}

/// The raw argon2 output for `password` under `salt`, `len` bytes long.
fn raw(
    algorithm: Algorithm,
    version: Version,
    params: &Params,
    password: &[u8],
    salt: Salt<'_>,
    len: usize,
) -> password_hash::Result<Output> {
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    Output::init_with(len, |out| {
        with_memory(params, |memory| {
            argon2.hash_password_into_with_memory(password, salt, out, memory)
        })
        .map_err(Into::into)
    })
}

/// The rules a new password must meet; `field` names the form field the messages belong to.
pub fn check_rules(field: &str, password: &str, email: &str) -> Vec<FieldError> {
    let mut problems = Vec::new();
    let len = password.chars().count();
    let first = password.chars().next();
    if len < MIN_LEN {
        problems.push(FieldError::new(
            field,
            "too_short",
            format!("use at least {MIN_LEN} characters"),
        ));
    } else if len > MAX_LEN {
        problems.push(FieldError::new(
            field,
            "too_long",
            format!("use at most {MAX_LEN} characters"),
        ));
    } else if COMMON.contains(&password.to_lowercase().as_str())
        || password.chars().all(|c| Some(c) == first)
    {
        problems.push(FieldError::new(
            field,
            "too_common",
            "this password is too easy to guess",
        ));
    } else if !email.is_empty() && password.eq_ignore_ascii_case(email) {
        problems.push(FieldError::new(
            field,
            "same_as_email",
            "the password must differ from the email",
        ));
    }
    problems
}

/// Hashes on the hashing threads: argon2 is deliberately slow and must not stall the runtime.
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    hashing::run(move || {
        let salt = SaltString::generate(&mut OsRng);
        let params = params();
        let (algorithm, version) = (Algorithm::Argon2id, Version::V0x13);
        let output = raw(
            algorithm,
            version,
            &params,
            password.as_bytes(),
            salt.as_salt(),
            Params::DEFAULT_OUTPUT_LEN,
        )
        .map_err(|e| ServiceError::Internal(format!("argon2: {e}")))?;
        let phc = PasswordHash {
            algorithm: algorithm.ident(),
            version: Some(version.into()),
            params: ParamsString::try_from(&params)
                .map_err(|e| ServiceError::Internal(format!("argon2 params: {e}")))?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(phc.to_string())
    })
    .await?
}

/// Verifies against `hash`, or against a dummy hash when there is none, so that an unknown
/// email costs the same time as a wrong password.
pub async fn verify(password: &str, hash: Option<String>) -> Result<bool> {
    let password = password.to_owned();
    hashing::run(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
        let stored = |e: password_hash::Error| ServiceError::Internal(format!("stored hash: {e}"));
        let parsed = PasswordHash::new(&hash).map_err(stored)?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Err(ServiceError::Internal(
                "stored hash: no salt or output".into(),
            ));
        };
        let algorithm = Algorithm::try_from(parsed.algorithm).map_err(stored)?;
        let version = match parsed.version {
            Some(v) => Version::try_from(v).map_err(|e| stored(e.into()))?,
            None => Version::default(),
        };
        let params = Params::try_from(&parsed).map_err(stored)?;
        let output = raw(
            algorithm,
            version,
            &params,
            password.as_bytes(),
            salt,
            expected.len(),
        )
        .map_err(stored)?;
        // `Output`'s equality takes the same time wherever the bytes differ.
        Ok(known && output == expected)
    })
    .await?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
            .hash_password(b"nuri-dummy-password", &salt)
            .expect("hashing a constant works")
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_explain_each_problem() {
        assert_eq!(check_rules("password", "short", "")[0].code, "too_short");
        assert_eq!(
            check_rules("password", &"x".repeat(129), "")[0].code,
            "too_long"
        );
        assert_eq!(
            check_rules("password", "aaaaaaaaaaaa", "")[0].code,
            "too_common"
        );
        assert_eq!(
            check_rules("password", "Password123", "")[0].code,
            "too_common"
        );
        assert_eq!(
            check_rules("password", "me@example.com", "ME@example.com")[0].code,
            "same_as_email"
        );
        assert!(check_rules("password", "correct horse battery", "a@b.c").is_empty());
    }

    #[tokio::test]
    async fn hash_then_verify() {
        let h = hash("correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", Some(h.clone()))
            .await
            .unwrap());
        assert!(!verify("wrong horse battery", Some(h)).await.unwrap());
        assert!(!verify("anything", None).await.unwrap());
    }

    /// Hashes stored before the memory was reused (made by the argon2 crate's own hasher) still
    /// verify, and new ones verify with the crate's own verifier.
    #[tokio::test]
    async fn hashes_agree_with_the_argon2_crates_own() {
        use argon2::password_hash::PasswordVerifier;
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(verify("correct horse battery", Some(theirs.clone()))
            .await
            .unwrap());
        assert!(!verify("correct horse battery!", Some(theirs))
            .await
            .unwrap());
        let ours = hash("correct horse battery").await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse battery", &parsed)
            .is_ok());
    }
}
