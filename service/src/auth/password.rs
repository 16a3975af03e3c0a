//! argon2id hashing with the OWASP-recommended parameters (m = 19 MiB, t = 2, p = 1) and the
//! minimum rules a new password must meet.

use std::sync::OnceLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
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

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 params are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
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
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::Internal(format!("argon2: {e}")))
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
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| ServiceError::Internal(format!("stored hash: {e}")))?;
        let ok = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && ok)
    })
    .await?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
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
}
