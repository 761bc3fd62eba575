//! Password hashing with Argon2id (the crate's defaults: v19, 19 MiB, 2 passes), in a blocking
//! thread because each hash takes tens of milliseconds of CPU on purpose.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::{AppError, Result};

pub async fn hash(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
}

/// Whether `password` matches `stored`. With no stored hash (an unknown user) a dummy hash is
/// checked anyway, so the answer takes as long either way and does not reveal which names exist.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let dummy;
        let phc = match &stored {
            Some(s) => s.as_str(),
            None => {
                dummy = Argon2::default().hash_password(b"no such user").map(|h| h.to_string()).unwrap_or_default();
                dummy.as_str()
            }
        };
        let parsed = PasswordHash::new(phc).map_err(|e| AppError::Internal(format!("stored hash: {e}")))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && stored.is_some())
    })
    .await
    .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
}
