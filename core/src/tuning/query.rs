//! The permalink: inputs as short, stable query pairs (`v=1&w=short&conn=20000&...`) and back.
//!
//! Old links must keep producing the same inputs, so keys never change meaning; a new format gets
//! a new `v`. Reading is lenient where it is safe (missing keys take the workload preset, `uname -r`
//! style kernels are accepted) and strict where it is not (unknown keys, repeated keys and
//! non-numbers are errors naming their field).

use super::inputs::{BOOL_FIELDS, FieldError, Inputs, KernelVersion, NUM_FIELDS, Workload, kernel_error, range_error};

/// The permalink format version. Bump it only with a translation from the old keys.
pub const QUERY_VERSION: &str = "1";

/// More pairs than any permalink has, with room for tracking parameters someone may append.
const MAX_QUERY_PAIRS: usize = 64;

impl Inputs {
    /// The permalink query pairs, in a fixed order, starting with the format version.
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![("v".to_string(), QUERY_VERSION.to_string()), ("w".to_string(), self.workload.key().to_string())];
        for f in &NUM_FIELDS {
            pairs.push((f.query.to_string(), (f.get)(self).to_string()));
        }
        pairs.push(("k".to_string(), self.kernel.to_string()));
        for f in &BOOL_FIELDS {
            pairs.push((f.query.to_string(), if (f.get)(self) { "1" } else { "0" }.to_string()));
        }
        pairs
    }

    /// The permalink query string, such as `v=1&w=short&conn=20000&...` (no leading `?`). Every value
    /// is digits, dots or a workload key, so nothing needs percent-encoding.
    pub fn to_query(&self) -> String {
        self.to_query_pairs().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
    }

    /// Reads a query string (with or without the leading `?`), percent-decoding keys and values.
    pub fn from_query(query: &str) -> Result<Inputs, Vec<FieldError>> {
        let query = query.strip_prefix('?').unwrap_or(query);
        // Counted before anything is decoded, so a long query of bad parts costs one error, not one each.
        let parts = query.split('&').filter(|p| !p.is_empty()).count();
        if parts > MAX_QUERY_PAIRS {
            return Err(vec![FieldError::new(
                "query",
                format!("too many parameters: {parts} (at most {MAX_QUERY_PAIRS})"),
                format!("参数太多：{parts} 个（最多 {MAX_QUERY_PAIRS} 个）"),
            )]);
        }
        let mut pairs = Vec::new();
        let mut errors = Vec::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            match (percent_decode(k), percent_decode(v)) {
                (Some(k), Some(v)) => pairs.push((k, v)),
                (k, _) => errors.push(FieldError::new(
                    k.as_deref().map(json_name_for).unwrap_or("query"),
                    format!("{part:?} is not valid percent-encoding"),
                    format!("{part:?} 不是有效的百分号编码"),
                )),
            }
        }
        match Inputs::from_query_pairs(&pairs) {
            Ok(inputs) if errors.is_empty() => Ok(inputs),
            Ok(_) => Err(errors),
            Err(mut more) => {
                errors.append(&mut more);
                Err(errors)
            }
        }
    }

    /// Reads decoded query pairs. Missing keys take the workload preset's value, so short links
    /// work; unknown keys, repeated keys, non-numbers and out-of-range values are all reported,
    /// each naming its JSON field (an unknown key is named as given).
    pub fn from_query_pairs(pairs: &[(String, String)]) -> Result<Inputs, Vec<FieldError>> {
        let mut errors = Vec::new();
        // A permalink has 13 pairs; refusing long lists keeps the duplicate check below cheap.
        if pairs.len() > MAX_QUERY_PAIRS {
            return Err(vec![FieldError::new(
                "query",
                format!("too many parameters: {} (at most {MAX_QUERY_PAIRS})", pairs.len()),
                format!("参数太多：{} 个（最多 {MAX_QUERY_PAIRS} 个）", pairs.len()),
            )]);
        }
        let mut seen: Vec<&str> = Vec::new();
        for (k, _) in pairs {
            if seen.contains(&k.as_str()) {
                errors.push(FieldError::new(json_name_for(k), format!("{k} is given more than once"), format!("{k} 出现了不止一次")));
            } else {
                seen.push(k);
            }
        }
        let get = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.trim());

        if let Some(v) = get("v")
            && v != QUERY_VERSION
        {
            errors.push(FieldError::new(
                "v",
                format!("unsupported permalink version {v:?}; this generator reads v=1"),
                format!("不支持的链接版本 {v:?}；本生成器读取 v=1"),
            ));
        }
        let workload = match get("w") {
            None => Workload::default(),
            Some(w) => match Workload::from_key(w) {
                Some(w) => w,
                None => {
                    errors.push(FieldError::new(
                        "workload",
                        format!("workload must be one of short, proxy, long, bulk, client; got {w:?}"),
                        format!("workload 必须是 short、proxy、long、bulk、client 之一；收到的是 {w:?}"),
                    ));
                    Workload::default()
                }
            },
        };
        let mut inputs = Inputs::preset(workload);
        let mut bad: Vec<&'static str> = Vec::new();
        for f in &NUM_FIELDS {
            if let Some(v) = get(f.query) {
                match parse_whole(v) {
                    Some(n) => (f.set)(&mut inputs, n),
                    None => {
                        errors.push(range_error(f, v));
                        bad.push(f.json);
                    }
                }
            }
        }
        if let Some(v) = get("k") {
            match KernelVersion::parse(v) {
                Some(k) => inputs.kernel = k,
                None => {
                    errors.push(kernel_error(v));
                    bad.push("kernel");
                }
            }
        }
        for f in &BOOL_FIELDS {
            if let Some(v) = get(f.query) {
                match v {
                    "1" | "true" | "yes" | "on" => (f.set)(&mut inputs, true),
                    "0" | "false" | "no" | "off" => (f.set)(&mut inputs, false),
                    _ => errors.push(FieldError::new(
                        f.json,
                        format!("{} must be 0 or 1, got {v:?}", f.json),
                        format!("{} 必须是 0 或 1，收到的是 {v:?}", f.json),
                    )),
                }
            }
        }
        for (k, _) in pairs {
            if !is_known_query_key(k) {
                errors.push(FieldError::new(k, format!("unknown parameter {k:?}"), format!("未知参数 {k:?}")));
            }
        }
        if let Err(range) = inputs.validate() {
            errors.extend(range.into_iter().filter(|e| !bad.contains(&e.field.as_str())));
        }
        if errors.is_empty() { Ok(inputs) } else { Err(errors) }
    }
}

/// Digits only (no sign, no decimals, no exponent), at most 19 of them so `u64` cannot overflow.
fn parse_whole(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_known_query_key(key: &str) -> bool {
    matches!(key, "v" | "w" | "k") || NUM_FIELDS.iter().any(|f| f.query == key) || BOOL_FIELDS.iter().any(|f| f.query == key)
}

/// The permalink key for a JSON field name (`peak_connections` is `conn`), so that a partial JSON
/// body can be read exactly like a short permalink: missing fields take the workload preset.
pub fn query_key(json_field: &str) -> Option<&'static str> {
    match json_field {
        "workload" => Some("w"),
        "kernel" => Some("k"),
        _ => NUM_FIELDS
            .iter()
            .find(|f| f.json == json_field)
            .map(|f| f.query)
            .or_else(|| BOOL_FIELDS.iter().find(|f| f.json == json_field).map(|f| f.query)),
    }
}

/// The JSON field a permalink key stands for, for error messages.
fn json_name_for(key: &str) -> &str {
    match key {
        "w" => "workload",
        "k" => "kernel",
        _ => NUM_FIELDS
            .iter()
            .find(|f| f.query == key)
            .map(|f| f.json)
            .or_else(|| BOOL_FIELDS.iter().find(|f| f.query == key).map(|f| f.json))
            .unwrap_or(key),
    }
}

/// `+` is a space and `%XX` a byte; the result must be UTF-8. `None` for a broken escape.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = hex(*bytes.get(i + 1)?)?;
                let lo = hex(*bytes.get(i + 2)?)?;
                out.push(hi * 16 + lo);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}
