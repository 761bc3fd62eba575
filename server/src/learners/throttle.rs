//! Login rate limiting: failed logins are counted per username and per client address over a
//! window, and past the limit the next attempt is refused before any password is checked. Per
//! username stops guessing one account's password; per address stops one machine trying many
//! accounts. Kept in memory: a restart forgets, which costs a guesser nothing they could not get
//! by waiting, and needs no table.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{AppError, Result};

/// Failed logins a username may have in a window.
pub const PER_USERNAME: u32 = 5;
/// Failed logins one address may have in a window (a classroom behind one NAT shares one).
pub const PER_ADDRESS: u32 = 50;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Entries kept before old ones are dropped, so a flood of made-up names cannot fill memory.
const MAX_ENTRIES: usize = 100_000;

#[derive(Clone, Default)]
pub struct LoginThrottle {
    failures: Arc<Mutex<HashMap<String, (u32, Instant)>>>,
}

fn keys(username: &str, addr: Option<IpAddr>) -> [(Option<String>, u32); 2] {
    [(Some(format!("u:{username}")), PER_USERNAME), (addr.map(|a| format!("a:{a}")), PER_ADDRESS)]
}

impl LoginThrottle {
    /// Refuses with 429 (and when to retry) while either count is at its limit.
    pub fn check(&self, username: &str, addr: Option<IpAddr>) -> Result<()> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, limit) in keys(username, addr) {
            if let Some((count, since)) = key.and_then(|k| map.get(&k).copied())
                && count >= limit
                && since.elapsed() < WINDOW
            {
                return Err(AppError::TooManyRequests { retry_after: (WINDOW - since.elapsed()).as_secs().max(1) });
            }
        }
        Ok(())
    }

    pub fn failed(&self, username: &str, addr: Option<IpAddr>) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        for key in keys(username, addr).into_iter().filter_map(|(k, _)| k) {
            let entry = map.entry(key).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }

    /// A right password clears the username's count (not the address's).
    pub fn succeeded(&self, username: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(&format!("u:{username}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_failure_for_a_name_is_refused_and_success_resets() {
        let t = LoginThrottle::default();
        let addr = Some("127.0.0.1".parse().unwrap());
        for _ in 0..PER_USERNAME {
            t.check("ann", addr).unwrap();
            t.failed("ann", addr);
        }
        let err = t.check("ann", addr).unwrap_err();
        assert!(matches!(err, AppError::TooManyRequests { retry_after } if retry_after > 0 && retry_after <= WINDOW.as_secs()));
        t.check("bob", addr).unwrap();
        t.succeeded("ann");
        t.check("ann", addr).unwrap();
    }

    #[test]
    fn one_address_trying_many_names_is_refused() {
        let t = LoginThrottle::default();
        let addr = Some("10.0.0.9".parse().unwrap());
        for i in 0..PER_ADDRESS {
            t.failed(&format!("user{i}"), addr);
        }
        assert!(t.check("fresh", addr).is_err());
        assert!(t.check("fresh", Some("10.0.0.10".parse().unwrap())).is_ok());
    }
}
