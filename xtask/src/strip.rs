//! Drops the `name` section from the lazily loaded chunks. wasm-split copies the linked module's
//! function names into every chunk it writes; they serve only debuggers and were half of each
//! chunk's bytes (1 MB of the class pages' 2 MB). wasm-bindgen already drops the main module's.
//!
//! The walk follows the binary format (WebAssembly Core Specification, 5.5 "Modules"): after the
//! 8-byte preamble, each section is an id byte, its size as unsigned LEB128, and its contents; a
//! custom section (id 0) starts with its name. Custom sections do not change what a module
//! does, so dropping one is always safe.

use crate::Result;

/// The module without its `name` custom section; every other byte as it was.
pub fn without_names(wasm: &[u8]) -> Result<Vec<u8>> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a WebAssembly module".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        let (size, len) = leb128(&wasm[at + 1..])?;
        let body_start = at + 1 + len;
        let body = wasm.get(body_start..body_start + size).ok_or("a section runs past the end of the module")?;
        at = body_start + size;
        if id == 0 && custom_name(body)? == b"name" {
            continue;
        }
        out.extend_from_slice(&wasm[start..at]);
    }
    Ok(out)
}

fn custom_name(body: &[u8]) -> Result<&[u8]> {
    let (len, n) = leb128(body)?;
    body.get(n..n + len).ok_or_else(|| "a custom section's name runs past its end".into())
}

/// An unsigned LEB128 number of at most 32 bits, and how many bytes it took.
fn leb128(bytes: &[u8]) -> Result<(usize, usize)> {
    let mut value = 0usize;
    for (i, byte) in bytes.iter().take(5).enumerate() {
        value |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok((value, i + 1));
        }
    }
    Err("a malformed LEB128 number".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: u8, body: &[u8]) -> Vec<u8> {
        // A size of 130 takes two LEB128 bytes: the walk must read both.
        let mut s = vec![id];
        let size = body.len();
        if size < 128 {
            s.push(size as u8);
        } else {
            s.extend([(size & 0x7f) as u8 | 0x80, (size >> 7) as u8]);
        }
        s.extend_from_slice(body);
        s
    }

    fn custom(name: &str, data: &[u8]) -> Vec<u8> {
        let mut body = vec![name.len() as u8];
        body.extend_from_slice(name.as_bytes());
        body.extend_from_slice(data);
        section(0, &body)
    }

    #[test]
    fn only_the_name_section_goes() {
        let preamble = b"\0asm\x01\0\0\0".to_vec();
        let types = section(1, &[1, 0x60, 0, 0]);
        let producers = custom("producers", b"x");
        let names = custom("name", &[7; 130]);
        let code = section(10, &[0]);
        let module = [preamble.clone(), types.clone(), names.clone(), producers.clone(), code.clone(), names].concat();
        assert_eq!(without_names(&module).unwrap(), [preamble, types, producers, code].concat());
    }

    #[test]
    fn a_broken_module_is_an_error_not_a_panic() {
        assert!(without_names(b"\0asm\x01\0\0\0\x01\x09\0").is_err(), "a section longer than the file");
        assert!(without_names(b"\0asm\x01\0\0\0\x00\x80\x80\x80\x80\x80").is_err(), "an endless LEB128");
        assert!(without_names(b"ELF").is_err());
    }
}
