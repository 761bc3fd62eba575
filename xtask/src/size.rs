//! `cargo xtask size`: how many bytes a first visit downloads.

use std::fs;
use std::io::Write as _;
use std::path::Path;

/// The whole front end (wasm + JavaScript + CSS + HTML), brotli-compressed, must stay within this.
pub const BUDGET_BROTLI_BYTES: usize = 250_000;

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).expect("writing to a Vec cannot fail");
    encoder.finish().expect("writing to a Vec cannot fail")
}

pub fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).expect("writing to a Vec cannot fail");
    out
}

pub fn brotli_len(data: &[u8]) -> usize {
    brotli(data).len()
}

pub fn run(dist: &Path) -> Result<(), String> {
    let index = dist.join("index.html");
    if !index.is_file() {
        return Err(format!("{} not found: run `cargo xtask dist` first", index.display()));
    }
    let mut files = vec![index];
    collect(&dist.join("assets"), &mut files)?;
    files.sort();

    println!("{:<52} {:>10} {:>10} {:>10}", "file", "raw", "gzip", "brotli");
    let (mut first, mut lazy, mut all) = (0, 0, 0);
    for file in &files {
        let data = fs::read(file).map_err(|e| format!("reading {}: {e}", file.display()))?;
        let (raw, gz, br) = (data.len(), gzip(&data).len(), brotli(&data).len());
        all += br;
        let name = file.strip_prefix(dist).unwrap_or(file).display().to_string();
        let on_demand = is_lazy_chunk(file);
        if on_demand {
            lazy += br
        } else {
            first += br
        }
        let note = if on_demand { "  (loaded on demand)" } else { "" };
        println!("{name:<52} {raw:>10} {gz:>10} {br:>10}{note}");
    }
    println!("{:<52} {:>10} {:>10} {all:>10}", "total (bytes)", "", "");
    println!("chunks loaded only when their page opens: {:.1} KB brotli", lazy as f64 / 1000.0);
    let verdict = if first <= BUDGET_BROTLI_BYTES { "within" } else { "OVER" };
    println!(
        "first visit: brotli total {:.1} KB of the {:.0} KB budget: {verdict} budget",
        first as f64 / 1000.0,
        BUDGET_BROTLI_BYTES as f64 / 1000.0
    );
    // Over the budget is a failure, so the test command (and CI) stops on it.
    if first > BUDGET_BROTLI_BYTES {
        return Err(format!("the first visit is {first} bytes brotli, over the budget of {BUDGET_BROTLI_BYTES}"));
    }
    Ok(())
}

/// A wasm chunk of a lazily loaded page: any wasm other than the main module.
fn is_lazy_chunk(file: &Path) -> bool {
    file.extension().is_some_and(|e| e == "wasm") && file.file_name().and_then(|n| n.to_str()) != Some(crate::dist::MAIN_WASM)
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    for entry in fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("gz" | "br")) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_copies_decompress_to_the_original() {
        let data = b"TCP Lab TCP Lab TCP Lab: SYN, SYN-ACK, ACK".repeat(50);
        let compressed = gzip(&data);
        let mut gz = flate2::read::GzDecoder::new(&compressed[..]);
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut gz, &mut back).unwrap();
        assert_eq!(back, data);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &brotli(&data)[..], &mut back).unwrap();
        assert_eq!(back, data);
        assert!(brotli(&data).len() < data.len() / 10);
    }
}
