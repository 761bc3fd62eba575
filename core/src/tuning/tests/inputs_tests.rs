use crate::tuning::inputs::{Inputs, KernelVersion, Workload};
use crate::tuning::query_key;

fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
    q.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn every_preset_is_valid() {
    for w in Workload::ALL {
        let i = Inputs::preset(w);
        assert_eq!(i.workload, w);
        assert_eq!(i.validate(), Ok(()), "{w:?}");
    }
    assert_eq!(Inputs::default(), Inputs::preset(Workload::ShortLived));
}

#[test]
fn validation_errors_name_the_field_the_range_and_the_unit() {
    let mut i = Inputs::preset(Workload::ShortLived);
    i.peak_connections = 0;
    i.rtt_ms = 5000;
    i.active_close_percent = 101;
    i.kernel = KernelVersion::new(2, 6);
    let errors = i.validate().unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["peak_connections", "active_close_percent", "rtt_ms", "kernel"]);
    assert!(errors[0].message.en.contains("from 1 to 10000000 (connections)"), "{:?}", errors[0].message);
    assert!(errors[1].message.en.contains("from 0 to 100 (%)"), "{:?}", errors[1].message);
    assert!(errors[2].message.en.contains("from 1 to 2000 (ms)"), "{:?}", errors[2].message);
    assert!(errors[3].message.en.contains("3.10") && errors[3].message.en.contains("9.99"), "{:?}", errors[3].message);
    // The same facts in Chinese: the range and the unit, in the reader's words.
    assert!(errors[0].message.zh_cn.contains("1 到 10000000 之间的整数（个连接）"), "{:?}", errors[0].message);
    assert!(errors[2].message.zh_cn.contains("1 到 2000 之间的整数（毫秒）"), "{:?}", errors[2].message);
    assert!(errors[3].message.zh_cn.contains("3.10") && errors[3].message.zh_cn.contains("9.99"), "{:?}", errors[3].message);
}

#[test]
fn permalink_round_trips_for_every_preset_and_variant() {
    for w in Workload::ALL {
        for (container, systemd, comments) in [(false, true, true), (true, false, false), (true, true, false)] {
            let mut i = Inputs::preset(w);
            i.container = container;
            i.systemd = systemd;
            i.comments = comments;
            i.kernel = KernelVersion::new(5, 15);
            i.peak_connections = 123_457;
            let q = i.to_query();
            assert!(q.starts_with("v=1&w="), "{q}");
            assert_eq!(Inputs::from_query(&q), Ok(i.clone()), "{q}");
            assert_eq!(Inputs::from_query(&format!("?{q}")), Ok(i.clone()));
            assert_eq!(Inputs::from_query_pairs(&i.to_query_pairs()), Ok(i.clone()));
        }
    }
}

#[test]
fn permalink_is_short_and_stable() {
    assert_eq!(
        Inputs::preset(Workload::ShortLived).to_query(),
        "v=1&w=short&conn=20000&rate=2000&close=10&ram=16384&cpu=8&nic=1000&rtt=20&k=6.18&ctr=0&sd=1&cmt=1"
    );
}

#[test]
fn missing_keys_take_the_preset() {
    let i = Inputs::from_query("w=bulk&rtt=150").unwrap();
    let mut want = Inputs::preset(Workload::Bulk);
    want.rtt_ms = 150;
    assert_eq!(i, want);
    assert_eq!(Inputs::from_query(""), Ok(Inputs::default()));
}

#[test]
fn query_errors_are_reported_per_field() {
    let errors = Inputs::from_query_pairs(&pairs(&[
        ("v", "1"),
        ("conn", "lots"),
        ("rate", "-5"),
        ("rtt", "1.5"),
        ("k", "six"),
        ("ctr", "maybe"),
        ("utm_source", "x"),
        ("ram", "64"),
    ]))
    .unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["peak_connections", "new_connections_per_sec", "rtt_ms", "kernel", "container", "utm_source", "ram_mib"]);
    assert!(errors[0].message.en.contains("whole number from 1 to 10000000"), "{:?}", errors[0].message);
    assert!(errors[0].message.en.contains("\"lots\""));
    assert!(errors[5].message.en.contains("unknown parameter"));
    assert!(errors[6].message.en.contains("from 256 to 16777216 (MiB)"), "{:?}", errors[6].message);

    let errors = Inputs::from_query("v=2&w=server&conn=1&conn=2").unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["peak_connections", "v", "workload"]);

    let errors = Inputs::from_query("k=6%2").unwrap_err();
    assert_eq!(errors[0].field, "kernel");
    let many = "a=1&".repeat(100);
    assert_eq!(Inputs::from_query(&many).unwrap_err()[0].field, "query");
}

#[test]
fn percent_encoding_is_decoded() {
    let i = Inputs::from_query("k=6%2E1&w=proxy&sd=false").unwrap();
    assert_eq!(i.kernel, KernelVersion::new(6, 1));
    assert_eq!(i.workload, Workload::Proxy);
    assert!(!i.systemd);
}

#[test]
fn kernel_versions() {
    assert_eq!(KernelVersion::parse("6.18"), Some(KernelVersion::new(6, 18)));
    assert_eq!(KernelVersion::parse(" 6.1.0-18-amd64 "), Some(KernelVersion::new(6, 1)));
    assert_eq!(KernelVersion::parse("5.15-rc1"), Some(KernelVersion::new(5, 15)));
    assert!(KernelVersion::new(6, 9) < KernelVersion::new(6, 18));
    for bad in ["6", "6.", ".18", "6.x", "6.18abc", "", "1234.1", "6.1000"] {
        assert_eq!(KernelVersion::parse(bad), None, "{bad}");
    }
}

#[test]
fn json_uses_the_field_names_and_a_kernel_string() {
    let i = Inputs::preset(Workload::Proxy);
    let json = serde_json::to_string(&i).unwrap();
    assert!(json.contains("\"kernel\":\"6.18\""), "{json}");
    assert!(json.contains("\"workload\":\"proxy\""), "{json}");
    assert!(json.contains("\"peak_connections\":20000"), "{json}");
    assert_eq!(serde_json::from_str::<Inputs>(&json).unwrap(), i);
    assert!(serde_json::from_str::<Inputs>(&json.replace("6.18", "six")).is_err());
}

#[test]
fn every_json_field_has_a_permalink_key_and_back() {
    let json = serde_json::to_value(Inputs::default()).unwrap();
    let fields = json.as_object().unwrap();
    let pairs = Inputs::default().to_query_pairs();
    for name in fields.keys() {
        let key = query_key(name).unwrap_or_else(|| panic!("{name} has no permalink key"));
        assert!(pairs.iter().any(|(k, _)| k == key), "{name} -> {key} is not in the permalink");
    }
    assert_eq!(query_key("peak_connections"), Some("conn"));
    assert_eq!(query_key("conn"), None, "permalink keys are not JSON field names");
}
