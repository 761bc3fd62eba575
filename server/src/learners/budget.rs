//! Per-address budgets for things that are free to ask for but cost the server: a new anonymous
//! learner (a learner row, a session and a question row for every cookie-less request) and a
//! registration (a password hash). A token bucket per address: `burst` at once, then one more
//! every `every`; past that, 429 with `Retry-After`. Sized so a classroom behind one NAT address
//! starting together fits in the burst. In memory, like the login throttle, and bounded.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{AppError, Result};

/// Addresses remembered; past this the fullest buckets (those that would be full by now anyway)
/// are forgotten first.
const MAX_ADDRESSES: usize = 100_000;

#[derive(Clone)]
pub struct Budget {
    burst: f64,
    every: Duration,
    buckets: Arc<Mutex<HashMap<IpAddr, (f64, Instant)>>>,
}

impl Budget {
    pub fn new(burst: u32, every: Duration) -> Budget {
        Budget { burst: f64::from(burst), every, buckets: Arc::default() }
    }

    /// New anonymous learners: 600 at once from one address (a lecture hall behind one NAT
    /// address opening the quiz together), then two a second.
    pub fn newcomers() -> Budget {
        Budget::new(600, Duration::from_millis(500))
    }

    /// Registrations: 60 at once from one address, then one every 5 s.
    pub fn registrations() -> Budget {
        Budget::new(60, Duration::from_secs(5))
    }

    /// Spends one from `addr`'s budget, or refuses with when to retry. Without an address (a
    /// test calling the router directly) there is nothing to count by.
    pub fn spend(&self, addr: Option<IpAddr>) -> Result<()> {
        let Some(addr) = addr.map(client_key) else { return Ok(()) };
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if buckets.len() >= MAX_ADDRESSES && !buckets.contains_key(&addr) {
            // Buckets that are full again are as good as new: forget those first, and if that
            // is not enough, the half least recently used.
            let (burst, every) = (self.burst, self.every);
            buckets.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() / every.as_secs_f64() < burst);
            if buckets.len() >= MAX_ADDRESSES {
                super::throttle::keep_newer_half(&mut buckets, |(_, at)| *at);
            }
        }
        let (tokens, at) = buckets.entry(addr).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() / self.every.as_secs_f64()).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - *tokens) * self.every.as_secs_f64();
            Err(AppError::TooManyRequests { retry_after: wait.ceil().max(1.0) as u64 })
        }
    }
}

/// The address a budget is kept for: an IPv4 address, or the /64 network of an IPv6 one, since
/// one IPv6 host is usually given a whole /64 and could otherwise take a fresh budget per address.
pub fn client_key(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(v6.to_bits() & !((1u128 << 64) - 1))),
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_per_interval_per_address() {
        let budget = Budget::new(3, Duration::from_secs(60));
        let (a, b) = (Some("10.0.0.1".parse().unwrap()), Some("10.0.0.2".parse().unwrap()));
        for _ in 0..3 {
            budget.spend(a).unwrap();
        }
        let refused = budget.spend(a).unwrap_err();
        assert!(matches!(refused, AppError::TooManyRequests { retry_after } if (1..=60).contains(&retry_after)), "{refused:?}");
        budget.spend(b).unwrap();
        budget.spend(None).unwrap();
        let quick = Budget::new(1, Duration::from_millis(20));
        quick.spend(a).unwrap();
        assert!(quick.spend(a).is_err());
        std::thread::sleep(Duration::from_millis(30));
        quick.spend(a).unwrap();
    }

    #[test]
    fn one_ipv6_network_shares_a_budget() {
        let budget = Budget::new(1, Duration::from_secs(60));
        budget.spend(Some("2001:db8:1:2::1".parse().unwrap())).unwrap();
        assert!(budget.spend(Some("2001:db8:1:2:ffff::9".parse().unwrap())).is_err(), "same /64");
        budget.spend(Some("2001:db8:1:3::1".parse().unwrap())).unwrap();
        assert_eq!(client_key("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1".parse::<IpAddr>().unwrap());
    }
}
