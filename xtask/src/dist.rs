//! `cargo xtask dist`: from the front-end crate to the folder the server serves.

use std::collections::HashMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";
const CRATE: &str = "tcplab-frontend";
/// The main module, what every page needs; `size` counts it in the first visit.
pub const MAIN_WASM: &str = "tcplab_bg.wasm";
/// The loader wasm-split writes for the lazily loaded chunks.
pub const SPLIT_JS: &str = "__wasm_split.js";

/// For each lazy page (by its split name), the file stems of the chunks it loads.
type PrefetchMap = HashMap<String, Vec<String>>;
use crate::Result;

pub fn run(root: &Path, force: bool) -> Result<()> {
    ensure_wasm_target()?;
    build_wasm(root)?;
    let wasm_in = root.join("target").join(TARGET).join(PROFILE).join(format!("{CRATE}.wasm"));
    let frontend = root.join("frontend");
    let inputs = [wasm_in.clone(), frontend.join("index.html"), frontend.join("style.css"), frontend.join("favicon.svg")];
    let stamp = stamp(&inputs)?;
    let dist = root.join("dist");
    if !force && fs::read_to_string(dist.join(".stamp")).ok().as_deref() == Some(stamp.as_str()) {
        println!("xtask: dist/ is up to date");
        return Ok(());
    }

    let staging = root.join("target").join("dist.staging");
    let _ = fs::remove_dir_all(&staging);
    let assets = staging.join("assets");
    fs::create_dir_all(&assets).map_err(|e| format!("creating {}: {e}", assets.display()))?;

    // Pages marked lazy (`#[lazy_route]`) become wasm chunks of their own, fetched when the page
    // is first opened, so the tutorial's first visit does not download the config generator.
    let split_out = root.join("target").join("wasm-split");
    let _ = fs::remove_dir_all(&split_out);
    let (chunks, prefetch) = split(&wasm_in, &split_out)?;
    let page_chunks = page_chunks(&prefetch)?;
    let bindgen_out = root.join("target").join("wasm-bindgen");
    let _ = fs::remove_dir_all(&bindgen_out);
    bindgen(&split_out.join("main.wasm"), &bindgen_out)?;
    // No wasm-opt pass: the only binaryen the registries offer here (Debian 12's version 108)
    // rewrites wasm-bindgen's externref table into one the browser rejects at start-up, and a
    // newer one (npm) saved 0.5 % after brotli.
    let mut app: Vec<(String, Vec<u8>)> = vec![
        ("tcplab.js".into(), fs::read(bindgen_out.join("tcplab.js")).map_err(|e| e.to_string())?),
        (MAIN_WASM.into(), fs::read(bindgen_out.join("tcplab_bg.wasm")).map_err(|e| e.to_string())?),
        (SPLIT_JS.into(), fs::read(split_out.join(SPLIT_JS)).map_err(|e| e.to_string())?),
    ];
    for chunk in &chunks {
        let name = chunk.file_name().and_then(|n| n.to_str()).ok_or("a chunk without a name")?.to_owned();
        let wasm = fs::read(chunk).map_err(|e| e.to_string())?;
        app.push((name, crate::strip::without_names(&wasm).map_err(|e| format!("{}: {e}", chunk.display()))?));
    }
    // The glue, the split loader and the chunks refer to each other by relative names, so they
    // stay together in one folder whose name is the hash of all of them.
    let mut hasher = Sha256::new();
    for (name, data) in &app {
        hasher.update(name.as_bytes());
        hasher.update(data);
    }
    let hex: String = hasher.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    let app_dir_name = format!("app-{hex}");
    let app_dir = assets.join(&app_dir_name);
    fs::create_dir_all(&app_dir).map_err(|e| e.to_string())?;
    for (name, data) in &app {
        write(&app_dir.join(name), data)?;
    }
    let snippets = bindgen_out.join("snippets");
    if snippets.is_dir() {
        copy_dir(&snippets, &app_dir.join("snippets"))?;
    }
    let js_name = format!("{app_dir_name}/tcplab.js");
    let wasm_name = format!("{app_dir_name}/{MAIN_WASM}");
    let wasm = &app[1].1;
    let boot = format!(
        "// Starts the TCP Lab app. A separate file because the Content-Security-Policy forbids inline scripts.\n\
         import init from \"./{js_name}\";\n\
         // A page of its own chunk (see `page_chunks` in xtask/src/dist.rs) is fetched while the main\n\
         // module downloads, not after it has started: the page appears one download sooner.\n\
         const pages = {page_chunks};\n\
         const page = pages.find(([path]) => new RegExp(path).test(location.pathname));\n\
         for (const file of page ? [...page[1], ...page[2].map((n) => `chunk_${{n}}`)] : []) {{\n\
         \x20 const link = document.createElement(\"link\");\n\
         \x20 link.rel = \"preload\";\n\
         \x20 link.as = \"fetch\";\n\
         \x20 link.crossOrigin = \"anonymous\";\n\
         \x20 link.href = new URL(`./{app_dir_name}/${{file}}.wasm`, import.meta.url);\n\
         \x20 document.head.append(link);\n\
         }}\n\
         init({{ module_or_path: new URL(\"{wasm_name}\", import.meta.url) }});\n"
    );
    let boot_name = hashed("boot", boot.as_bytes(), "js");
    let css = read(&frontend.join("style.css"))?;
    let css_name = hashed("style", css.as_bytes(), "css");

    write(&assets.join(&boot_name), boot.as_bytes())?;
    write(&assets.join(&css_name), css.as_bytes())?;
    write(&staging.join("favicon.svg"), &fs::read(frontend.join("favicon.svg")).map_err(|e| e.to_string())?)?;

    let index = read(&frontend.join("index.html"))?
        .replace("{{css}}", &format!("/assets/{css_name}"))
        .replace("{{js}}", &format!("/assets/{js_name}"))
        .replace("{{wasm}}", &format!("/assets/{wasm_name}"))
        .replace("{{boot}}", &format!("/assets/{boot_name}"));
    if index.contains("{{") {
        return Err("frontend/index.html has a placeholder the build does not know".into());
    }
    write(&staging.join("index.html"), index.as_bytes())?;

    precompress_all(&staging)?;
    write(&staging.join(".stamp"), stamp.as_bytes())?;
    replace_dir(&staging, &dist)?;
    println!(
        "xtask: built dist/ ({} brotli for the main wasm, {} lazily loaded chunks)",
        human(crate::size::brotli_len(wasm)),
        chunks.len()
    );
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output();
    match installed {
        Ok(out) if String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == TARGET) => Ok(()),
        Ok(_) => {
            println!("xtask: adding the {TARGET} target with rustup");
            let status = Command::new("rustup").args(["target", "add", TARGET]).status().map_err(|e| e.to_string())?;
            if status.success() { Ok(()) } else { Err(format!("`rustup target add {TARGET}` failed")) }
        }
        // No rustup (a distribution's Rust): let cargo report a missing target itself.
        Err(_) => Ok(()),
    }
}

fn build_wasm(root: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--package", CRATE, "--target", TARGET, "--profile", PROFILE])
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if status.success() { Ok(()) } else { Err("building the front end failed (see cargo's messages above)".into()) }
}

/// The addresses of the pages that are chunks of their own (`lazy_page!` in
/// `frontend/src/pages/mod.rs`, routed in `frontend/src/app.rs`), as patterns of
/// `location.pathname`, and the name of each page's route.
const LAZY_PAGES: &[(&str, &str)] = &[
    ("^/quiz/?$", "quiz_route"),
    ("^/progress/?$", "progress_route"),
    ("^/replay/?$", "replay_route"),
    ("^/config/?$", "config_route"),
    ("^/(classes|join|quizzes|attempts|invite|reset)(/|$)", "course_route"),
];

/// For `boot.js`: a JSON list of `[address pattern, [the page's own file stems], [numbers n of the
/// shared chunk_<n> files it needs]]`. A lazy
/// page the build made that is not in `LAZY_PAGES`, or an entry with no such page, stops the build,
/// so the list cannot drift from the app's routes unnoticed.
fn page_chunks(prefetch: &PrefetchMap) -> Result<String> {
    let route_of = |split: &str| {
        LAZY_PAGES
            .iter()
            .find(|(_, route)| split.strip_prefix("__").and_then(|s| s.strip_prefix(route)).is_some_and(|s| s.starts_with("_view_")))
    };
    if let Some(split) = prefetch.keys().find(|split| route_of(split).is_none()) {
        return Err(format!("the lazy page `{split}` has no address in LAZY_PAGES (xtask/src/dist.rs)"));
    }
    let mut pages = Vec::new();
    for (pattern, route) in LAZY_PAGES {
        let (_, files) = prefetch
            .iter()
            .find(|(split, _)| route_of(split).is_some_and(|(_, r)| r == route))
            .ok_or_else(|| format!("LAZY_PAGES names `{route}`, but the build made no such lazy page"))?;
        // `chunk_<n>` files by their numbers alone: the list is part of every first visit.
        let mut numbers: Vec<u32> = files.iter().filter_map(|f| f.strip_prefix("chunk_")?.parse().ok()).collect();
        numbers.sort_unstable();
        let own: Vec<&String> = files.iter().filter(|f| !f.starts_with("chunk_")).collect();
        pages.push(serde_json::json!([pattern, own, numbers]));
    }
    Ok(serde_json::Value::Array(pages).to_string())
}

/// Splits the linked wasm at its `#[lazy]` points (the build links with `--emit-relocs`, see
/// `.cargo/config.toml`): `main.wasm` for wasm-bindgen, one `.wasm` per chunk, and the loader;
/// with, for each lazy page, the file stems of the chunks it loads.
fn split(wasm: &Path, out: &Path) -> Result<(Vec<PathBuf>, PrefetchMap)> {
    let input = fs::read(wasm).map_err(|e| format!("reading {}: {e}", wasm.display()))?;
    let main = out.join("main.wasm");
    let link_name = format!("./{SPLIT_JS}");
    let mut opts = wasm_split_cli_support::Options::new(&input);
    opts.output_dir = out;
    opts.main_out_path = &main;
    opts.main_module = "./tcplab.js";
    opts.link_name = &link_name;
    let split = wasm_split_cli_support::transform(opts).map_err(|e| format!("wasm-split: {e:#}"))?;
    Ok((split.split_modules, split.prefetch_map))
}

fn bindgen(wasm: &Path, out: &Path) -> Result<()> {
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .out_name("tcplab")
        .web(true)
        .map_err(|e| e.to_string())?
        // The chunks import the main module's functions by their linker names.
        .keep_lld_exports(true)
        .demangle(false)
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(out)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))
}

/// `name-<first 16 hex digits of sha256>.ext`: the URL changes exactly when the content does.
fn hashed(name: &str, content: &[u8], ext: &str) -> String {
    let digest = Sha256::digest(content);
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{name}-{hex}.{ext}")
}

fn stamp(inputs: &[PathBuf]) -> Result<String> {
    let mut hasher = Sha256::new();
    // A rebuilt xtask may lay dist/ out differently: its own binary is an input too.
    if let Ok(meta) = std::env::current_exe().and_then(fs::metadata) {
        hasher.update(meta.len().to_le_bytes());
        hasher.update(format!("{:?}", meta.modified().ok()).as_bytes());
    }
    for input in inputs {
        hasher.update(fs::read(input).map_err(|e| format!("reading {}: {e}", input.display()))?);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Writes `.gz` and `.br` next to every file, for the server to send as they are. Done once at
/// build time at the highest levels, instead of on every request at a fast level.
fn precompress_all(dir: &Path) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            precompress_all(&path)?;
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') || name.ends_with(".gz") || name.ends_with(".br") {
            continue;
        }
        let data = fs::read(&path).map_err(|e| e.to_string())?;
        write(&PathBuf::from(format!("{}.gz", path.display())), &crate::size::gzip(&data))?;
        write(&PathBuf::from(format!("{}.br", path.display())), &crate::size::brotli(&data))?;
    }
    Ok(())
}

/// Swaps the new build in with two renames, so a running server never sees a half-written folder
/// for longer than a moment.
fn replace_dir(new: &Path, dest: &Path) -> Result<()> {
    let old = dest.with_extension("old");
    let _ = fs::remove_dir_all(&old);
    if dest.exists() {
        fs::rename(dest, &old).map_err(|e| format!("moving the old {} aside: {e}", dest.display()))?;
    }
    fs::rename(new, dest).map_err(|e| format!("moving the build to {}: {e}", dest.display()))?;
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in fs::read_dir(from).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn write(path: &Path, data: &[u8]) -> Result<()> {
    let mut file = fs::File::create(path).map_err(|e| format!("writing {}: {e}", path.display()))?;
    file.write_all(data).map_err(|e| format!("writing {}: {e}", path.display()))
}

fn human(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
