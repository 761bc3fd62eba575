//! Times: the server keeps Unix seconds and UTC; people read and type them in their own local time,
//! which only the browser knows (js_sys::Date works in it).

use js_sys::Date;

fn date_of(secs: i64) -> Date {
    Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0))
}

/// `2026-03-01T09:30`, the value an `<input type="datetime-local">` takes.
pub fn to_input(secs: i64) -> String {
    let d = date_of(secs);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes())
}

/// The Unix seconds of a `datetime-local` value in local time; `None` when empty or unreadable.
pub fn from_input(text: &str) -> Option<i64> {
    let (date, clock) = text.trim().split_once('T')?;
    let mut date = date.split('-').map(|p| p.parse::<i32>().ok());
    let mut clock = clock.split(':').map(|p| p.parse::<i32>().ok());
    let (year, month, day) = (date.next()??, date.next()??, date.next()??);
    let (hour, minute) = (clock.next()??, clock.next()??);
    let d = Date::new_with_year_month_day_hr_min(u32::try_from(year).ok()?, month - 1, day, hour, minute);
    let ms = d.get_time();
    ms.is_finite().then(|| (ms / 1000.0).floor() as i64)
}

/// An ISO 8601 UTC time from the server (`2026-03-01T01:30:00.000Z`) in local time, for
/// reading; as written when the browser cannot read it.
pub fn show_iso(iso: &str) -> String {
    let ms = Date::parse(iso);
    if ms.is_finite() { show((ms / 1000.0).floor() as i64) } else { iso.to_owned() }
}

/// The local time of day of a server time, to the second (`09:30:05`): for "saved at", where
/// the date is today's and a minute is too coarse.
pub fn clock_iso(iso: &str) -> String {
    let ms = Date::parse(iso);
    if !ms.is_finite() {
        return iso.to_owned();
    }
    let d = Date::new(&ms.into());
    format!("{:02}:{:02}:{:02}", d.get_hours(), d.get_minutes(), d.get_seconds())
}

/// Seconds as a countdown: `4:05`, or `1:02:03` from an hour up.
pub fn countdown(secs: i64) -> String {
    let secs = secs.max(0);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

/// `2026-03-01 09:30 (UTC+8)` in local time with its offset, for reading: a class spread over
/// time zones, or a learner travelling, must not misread a deadline.
pub fn show(secs: i64) -> String {
    let offset = -(date_of(secs).get_timezone_offset() as i64);
    let sign = if offset < 0 { '−' } else { '+' };
    let (h, m) = (offset.abs() / 60, offset.abs() % 60);
    let zone = if m == 0 { format!("UTC{sign}{h}") } else { format!("UTC{sign}{h}:{m:02}") };
    format!("{} ({zone})", to_input(secs).replacen('T', " ", 1))
}
