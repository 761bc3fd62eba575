//! A small seeded generator. Questions must come out the same from the same seed on every
//! machine and in every version of a dependency, so the algorithm is ours and fixed: SplitMix64.

#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    /// A number in `0..n` (`n > 0`). The modulo bias is below 2^-32 for the small `n` used here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// An initial sequence number; one time in four just below 2^32, so that learners practise
    /// the wrap-around.
    pub fn isn(&mut self) -> u32 {
        if self.below(4) == 0 { u32::MAX - (self.next_u32() % 2000) } else { self.next_u32() }
    }
}
