//! Login rate limiting: failed logins are counted over a window per username from one address,
//! per username from anywhere, and per address, and past a limit the next attempt is refused
//! before any password is checked. The tight limit is on one address guessing one account, so a
//! stranger cannot lock an instructor out with five wrong passwords; many addresses guessing
//! one account, or one machine trying many accounts, meet the looser limits. Kept in memory: a restart forgets, which costs a guesser nothing they could not get
//! by waiting, and needs no table.
//!
//! An attempt is counted when it starts, under the lock that checks the limit, and taken back
//! when the password was right: counting only after the (slow, on purpose) hash would let a
//! burst of parallel guesses all pass the check.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{AppError, Result};

/// Failed logins for one username from one address in a window.
pub const PER_USERNAME: u32 = 5;
/// Failed logins for one username from all addresses together in a window.
pub const PER_USERNAME_ANYWHERE: u32 = 50;
/// Failed logins one address may have in a window (a classroom behind one NAT shares one).
pub const PER_ADDRESS: u32 = 50;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Entries kept; past this the oldest are dropped, so a flood of made-up names or addresses
/// cannot fill memory.
const MAX_ENTRIES: usize = 100_000;

#[derive(Clone, Default)]
pub struct LoginThrottle {
    failures: Arc<Mutex<HashMap<String, (u32, Instant)>>>,
}

fn keys(username: &str, addr: Option<IpAddr>) -> impl Iterator<Item = (String, u32)> {
    let addr = addr.map(super::client_key);
    let from = addr.map_or_else(|| "-".to_owned(), |a| a.to_string());
    [
        Some((format!("u:{username}@{from}"), PER_USERNAME)),
        Some((format!("u:{username}"), PER_USERNAME_ANYWHERE)),
        addr.map(|a| (format!("a:{a}"), PER_ADDRESS)),
    ]
    .into_iter()
    .flatten()
}

impl LoginThrottle {
    /// Counts a login attempt, or refuses it with 429 (and when to retry) while either count
    /// is at its limit. `username` must be a valid one (a made-up name is never counted).
    pub fn attempt(&self, username: &str, addr: Option<IpAddr>) -> Result<()> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, limit) in keys(username, addr) {
            if let Some((count, since)) = map.get(&key)
                && *count >= limit
                && since.elapsed() < WINDOW
            {
                return Err(AppError::TooManyRequests { retry_after: (WINDOW - since.elapsed()).as_secs().max(1) });
            }
        }
        if map.len() >= MAX_ENTRIES {
            evict(&mut map);
        }
        for (key, _) in keys(username, addr) {
            let entry = map.entry(key).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
        Ok(())
    }

    /// The password was right: the attempt is not a failure. This address's count for the
    /// username starts over; the other counts only lose this attempt.
    pub fn succeeded(&self, username: &str, addr: Option<IpAddr>) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut keys = keys(username, addr);
        if let Some((pair, _)) = keys.next() {
            map.remove(&pair);
        }
        for (key, _) in keys {
            if let Some(entry) = map.get_mut(&key) {
                entry.0 = entry.0.saturating_sub(1);
            }
        }
    }
}

/// Drops expired entries, and if that is not enough, the older half.
fn evict(map: &mut HashMap<String, (u32, Instant)>) {
    map.retain(|_, (_, since)| since.elapsed() < WINDOW);
    if map.len() >= MAX_ENTRIES {
        keep_newer_half(map, |(_, since)| *since);
    }
}

/// Keeps the newer half of a map's entries by the time `at` gives each: the last resort of the
/// in-memory limits (this one and [`super::Budget`]) when a flood of names or addresses fills them.
pub(super) fn keep_newer_half<K, V>(map: &mut HashMap<K, V>, at: impl Fn(&V) -> Instant) {
    let mut ages: Vec<Instant> = map.values().map(&at).collect();
    ages.sort_unstable();
    if let Some(&cut) = ages.get(ages.len() / 2) {
        map.retain(|_, v| at(v) > cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_for_a_name_is_refused_and_success_resets() {
        let t = LoginThrottle::default();
        let addr = Some("127.0.0.1".parse().unwrap());
        for _ in 0..PER_USERNAME {
            t.attempt("ann", addr).unwrap();
        }
        let err = t.attempt("ann", addr).unwrap_err();
        assert!(matches!(err, AppError::TooManyRequests { retry_after } if retry_after > 0 && retry_after <= WINDOW.as_secs()));
        t.attempt("bob", addr).unwrap();
        t.succeeded("ann", addr);
        t.attempt("ann", addr).unwrap();
    }

    #[test]
    fn right_passwords_do_not_count() {
        let t = LoginThrottle::default();
        let addr = Some("127.0.0.1".parse().unwrap());
        for _ in 0..100 {
            t.attempt("ann", addr).unwrap();
            t.succeeded("ann", addr);
        }
    }

    #[test]
    fn a_stranger_cannot_lock_the_owner_out() {
        let t = LoginThrottle::default();
        let (stranger, owner) = (Some("10.9.9.9".parse().unwrap()), Some("192.168.1.20".parse().unwrap()));
        for _ in 0..PER_USERNAME {
            t.attempt("prof", stranger).unwrap();
        }
        assert!(t.attempt("prof", stranger).is_err());
        t.attempt("prof", owner).unwrap();
    }

    #[test]
    fn one_address_trying_many_names_is_refused() {
        let t = LoginThrottle::default();
        let addr = Some("10.0.0.9".parse().unwrap());
        for i in 0..PER_ADDRESS {
            t.attempt(&format!("user{i}"), addr).unwrap();
        }
        assert!(t.attempt("fresh", addr).is_err());
        assert!(t.attempt("fresh", Some("10.0.0.10".parse().unwrap())).is_ok());
    }

    #[test]
    fn a_full_map_drops_its_older_half() {
        let mut map = HashMap::new();
        for i in 0..MAX_ENTRIES {
            map.insert(format!("u:{i}"), (1, Instant::now()));
        }
        evict(&mut map);
        assert!(map.len() < MAX_ENTRIES, "{}", map.len());
    }
}
