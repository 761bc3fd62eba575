//! Password hashing with Argon2id (the crate's defaults: v19, 19 MiB, 2 passes), in a blocking
//! thread because each hash takes tens of milliseconds of CPU on purpose.
//!
//! Each hash also takes 19 MiB, so how many run at once is bounded: as many as there are cores
//! (more would not finish sooner), the others wait in a queue for at most [`QUEUE_WAIT`], and a
//! request that cannot even join the queue, or waits longer, is answered 503 with `Retry-After`.
//! A burst of logins thus costs at most cores x 19 MiB, and the memory goes back to the system
//! after each hash ([`crate::os::return_large_blocks_to_the_system`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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

static SLOTS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(cores())));
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// The hash every login for an unknown name is checked against, so that such a login does the
/// same work (one verification) as a login with a real name and takes as long.
static DUMMY: LazyLock<String> = LazyLock::new(|| {
    let random = format!("{:032x}", rand::random::<u128>());
    Argon2::default().hash_password(random.as_bytes()).map(|h| h.to_string()).unwrap_or_default()
});

/// One place in the queue, given back when dropped: also when the request is cancelled while
/// it waits (its client went away), or the count would only ever grow.
struct Waiting;

impl Waiting {
    fn join() -> Option<Waiting> {
        if WAITING.fetch_add(1, Ordering::SeqCst) >= WAITING_PER_CORE * cores() {
            WAITING.fetch_sub(1, Ordering::SeqCst);
            None
        } else {
            Some(Waiting)
        }
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        WAITING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A hashing slot, or 503 when the queue is full or the wait too long.
async fn slot() -> Result<OwnedSemaphorePermit> {
    let busy = || AppError::Busy { retry_after: RETRY_AFTER };
    if let Ok(permit) = SLOTS.clone().try_acquire_owned() {
        return Ok(permit);
    }
    let place = Waiting::join().ok_or_else(busy)?;
    let waited = tokio::time::timeout(QUEUE_WAIT, SLOTS.clone().acquire_owned()).await;
    drop(place);
    match waited {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(busy()),
    }
}

/// Runs `work` on a blocking thread once a hashing slot is free. The slot goes with the work,
/// not with the request: a client that hangs up does not stop a hash already running, so its
/// slot must stay taken until the hash is done.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    let permit = slot().await?;
    tokio::task::spawn_blocking(move || {
        let result = work();
        drop(permit);
        result
    })
    .await
    .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
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

    /// The slots and the queue are the process's: these tests take turns with them.
    static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    #[tokio::test]
    async fn a_hash_verifies_and_an_unknown_name_never_does() {
        let _turn = SERIAL.lock().await;
        let stored = hash("correct horse".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(verify("correct horse".into(), Some(stored.clone())).await.unwrap());
        assert!(!verify("wrong horse".into(), Some(stored)).await.unwrap());
        assert!(!verify("anything".into(), None).await.unwrap(), "the dummy hash never lets anyone in");
    }

    #[tokio::test]
    async fn a_cancelled_wait_gives_its_place_back() {
        let _turn = SERIAL.lock().await;
        let before = WAITING.load(Ordering::SeqCst);
        let place = Waiting::join().unwrap();
        assert_eq!(WAITING.load(Ordering::SeqCst), before + 1);
        drop(place);
        assert_eq!(WAITING.load(Ordering::SeqCst), before);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_hashes_run_at_once_than_there_are_cores() {
        let _turn = SERIAL.lock().await;
        let running: Vec<_> = (0..cores() * 3).map(|i| tokio::spawn(hash(format!("password {i}")))).collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(SLOTS.available_permits(), 0, "every slot in use");
        assert_eq!(WAITING.load(Ordering::SeqCst), cores() * 2, "the rest wait");
        // A request dropped while it waits (its client went away): its place is given back.
        assert!(tokio::time::timeout(Duration::from_millis(5), slot()).await.is_err(), "no slot free");
        assert_eq!(WAITING.load(Ordering::SeqCst), cores() * 2);
        for task in running {
            task.await.unwrap().unwrap();
        }
        assert_eq!((SLOTS.available_permits(), WAITING.load(Ordering::SeqCst)), (cores(), 0), "every slot and place given back");
    }
}
