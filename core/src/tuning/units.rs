//! Numbers as people read them in reasons and warnings: "12.5 MB", "24 MiB", "7875 s".
//!
//! Bandwidth-delay products are shown in decimal units (link speeds are decimal: 1 Gbit/s ×
//! 100 ms = 12.5 MB), buffer sizes in binary units (the kernel's defaults are powers of two).

/// Rounds `n` up to a multiple of `step` (step > 0), saturating instead of overflowing.
pub fn round_up(n: u64, step: u64) -> u64 {
    if step == 0 {
        return n;
    }
    n.div_ceil(step).saturating_mul(step)
}

/// `n × num / den` without overflow, rounded down (den > 0).
pub fn mul_div(n: u64, num: u64, den: u64) -> u64 {
    if den == 0 {
        return u64::MAX;
    }
    let r = u128::from(n) * u128::from(num) / u128::from(den);
    u64::try_from(r).unwrap_or(u64::MAX)
}

/// `n × num / den` rounded up.
pub fn mul_div_ceil(n: u64, num: u64, den: u64) -> u64 {
    if den == 0 {
        return u64::MAX;
    }
    let r = (u128::from(n) * u128::from(num)).div_ceil(u128::from(den));
    u64::try_from(r).unwrap_or(u64::MAX)
}

fn scaled(n: u64, unit: u64, name: &str) -> String {
    // One decimal, rounded half up, and no ".0".
    let tenths = (u128::from(n) * 10 + u128::from(unit) / 2) / u128::from(unit);
    let (whole, frac) = (tenths / 10, tenths % 10);
    if frac == 0 { format!("{whole} {name}") } else { format!("{whole}.{frac} {name}") }
}

/// Decimal bytes: 12500000 → "12.5 MB".
pub fn dec_bytes(n: u64) -> String {
    const K: u64 = 1000;
    match n {
        n if n >= K * K * K * K => scaled(n, K * K * K * K, "TB"),
        n if n >= K * K * K => scaled(n, K * K * K, "GB"),
        n if n >= K * K => scaled(n, K * K, "MB"),
        n if n >= K => scaled(n, K, "kB"),
        n => format!("{n} B"),
    }
}

/// Binary bytes: 25165824 → "24 MiB".
pub fn bin_bytes(n: u64) -> String {
    const K: u64 = 1024;
    match n {
        n if n >= K * K * K * K => scaled(n, K * K * K * K, "TiB"),
        n if n >= K * K * K => scaled(n, K * K * K, "GiB"),
        n if n >= K * K => scaled(n, K * K, "MiB"),
        n if n >= K => scaled(n, K, "KiB"),
        n => format!("{n} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(dec_bytes(12_500_000), "12.5 MB");
        assert_eq!(dec_bytes(25_000_000), "25 MB");
        assert_eq!(dec_bytes(999), "999 B");
        assert_eq!(bin_bytes(25_165_824), "24 MiB");
        assert_eq!(bin_bytes(3 * 1024 * 1024 / 2), "1.5 MiB");
        assert_eq!(bin_bytes(u64::MAX), "16777216 TiB");
        assert_eq!(round_up(25_000_000, 1 << 20), 25_165_824);
        assert_eq!(round_up(u64::MAX, 1024), u64::MAX);
        assert_eq!(mul_div(u64::MAX, 2, 2), u64::MAX);
        assert_eq!(mul_div_ceil(10, 1, 3), 4);
    }
}
