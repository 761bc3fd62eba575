//! Any bytes at all, as a capture file: the reader must answer with a result or an error, never
//! panic, and whatever it finds must turn into steps without panicking either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tcplab_core::capture::{read, to_run};

fuzz_target!(|data: &[u8]| {
    if let Ok(capture) = read(data) {
        for conversation in &capture.conversations {
            let run = to_run(conversation);
            assert_eq!(run.steps.len(), conversation.segments.len());
        }
    }
});
