//! Password hashing with Argon2id (the crate's defaults: v19, 19 MiB, 2 passes), in a blocking
//! thread because each hash takes tens of milliseconds of CPU on purpose.
//!
//! Each hash also takes 19 MiB, so how many run at once is bounded: as many as there are cores
//! (more would not finish sooner), the others wait in a queue for at most [`QUEUE_WAIT`], and a
//! request that cannot even join the queue, or waits longer, is answered 503 with `Retry-After`.
//! A burst of logins thus costs at most cores x 19 MiB, and the memory goes back to the system
//! after each hash ([`crate::os::return_large_blocks_to_the_system`]).

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::{AppError, Result};

/// How long a request waits for a free hashing slot before it is told to come back.
pub const QUEUE_WAIT: Duration = Duration::from_secs(5);
/// Requests waiting for a slot, per core, beyond which new ones are refused at once: about as
/// many as the cores can hash within [`QUEUE_WAIT`].
const WAITING_PER_CORE: usize = 64;
/// What a refused request is told to wait, in seconds.
const RETRY_AFTER: u64 = 2;

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

static SLOTS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(cores()));
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// The hash every login for an unknown name is checked against, so that such a login does the
/// same work (one verification) as a login with a real name and takes as long.
static DUMMY: LazyLock<String> = LazyLock::new(|| {
    let random = format!("{:032x}", rand::random::<u128>());
    Argon2::default().hash_password(random.as_bytes()).map(|h| h.to_string()).unwrap_or_default()
});

/// A hashing slot, or 503 when the queue is full or the wait too long.
async fn slot() -> Result<SemaphorePermit<'static>> {
    let busy = || AppError::Busy { retry_after: RETRY_AFTER };
    if let Ok(permit) = SLOTS.try_acquire() {
        return Ok(permit);
    }
    if WAITING.fetch_add(1, Ordering::SeqCst) >= WAITING_PER_CORE * cores() {
        WAITING.fetch_sub(1, Ordering::SeqCst);
        return Err(busy());
    }
    let waited = tokio::time::timeout(QUEUE_WAIT, SLOTS.acquire()).await;
    WAITING.fetch_sub(1, Ordering::SeqCst);
    match waited {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(busy()),
    }
}

/// Runs `work` on a blocking thread once a hashing slot is free.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    let permit = slot().await?;
    let result = tokio::task::spawn_blocking(work).await.map_err(|e| AppError::Internal(format!("hashing task: {e}")))?;
    drop(permit);
    result
}

pub async fn hash(password: String) -> Result<String> {
    bounded(move || {
        Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
}

/// Whether `password` matches `stored`. With no stored hash (an unknown user) a fixed dummy hash
/// is checked instead, so the answer takes as long either way and does not reveal which names exist.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool> {
    bounded(move || {
        let phc = stored.as_deref().unwrap_or(DUMMY.as_str());
        let parsed = PasswordHash::new(phc).map_err(|e| AppError::Internal(format!("stored hash: {e}")))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && stored.is_some())
    })
    .await
}

/// Computes the dummy hash ahead of the first login, so that login is not the slow one.
pub fn warm_up() {
    tokio::task::spawn_blocking(|| LazyLock::force(&DUMMY));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_and_an_unknown_name_never_does() {
        let stored = hash("correct horse".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(verify("correct horse".into(), Some(stored.clone())).await.unwrap());
        assert!(!verify("wrong horse".into(), Some(stored)).await.unwrap());
        assert!(!verify("anything".into(), None).await.unwrap(), "the dummy hash never lets anyone in");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_hashes_run_at_once_than_there_are_cores() {
        let running: Vec<_> = (0..cores() * 3).map(|i| tokio::spawn(hash(format!("password {i}")))).collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(SLOTS.available_permits(), 0, "every slot in use");
        for task in running {
            task.await.unwrap().unwrap();
        }
    }
}
