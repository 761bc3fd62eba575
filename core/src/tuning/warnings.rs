//! Warnings about the inputs and the result: what the sysctls cannot fix, or what must be done
//! elsewhere. Each names the input it is about, so the page can show it next to that field.

use super::defaults::{BBR_SINCE, SOMAXCONN_4096_SINCE, TIME_WAIT_SECONDS, TW_RECYCLE_REMOVED_IN};
use super::inputs::{FieldError, Inputs, Workload};
use super::knowledge::{Knowledge, Scope};
use super::plan::{Plan, half, ram_bytes};
use super::report::{Action, Setting, Severity, Warning};
use super::units::bin_bytes;
use crate::lang::Lang;

pub struct Warnings<'a> {
    pub p: &'a Plan,
    pub k: &'a Knowledge,
    pub lang: Lang,
}

impl Warnings<'_> {
    fn w(&self, code: &str, severity: Severity, field: Option<&str>, id: &str, vars: &[(&str, String)]) -> Warning {
        Warning { code: code.to_string(), severity, field: field.map(str::to_string), message: self.k.text(id, self.lang, vars) }
    }

    pub fn all(&self, input_errors: &[FieldError], settings: &[Setting]) -> Vec<Warning> {
        let p = self.p;
        let i = &p.inputs;
        let mut out = Vec::new();

        for e in input_errors {
            out.push(self.w(
                "invalid_input",
                Severity::Error,
                Some(&e.field),
                "warn.invalid_input",
                &[("field", e.field.clone()), ("message", e.message.get(self.lang).to_owned()), ("used", used_value(i, &e.field))],
            ));
        }

        let port_vars = [
            ("rate", i.new_connections_per_sec.to_string()),
            ("close", i.active_close_percent.to_string()),
            ("out_close", p.outbound_close_rate.to_string()),
            ("ports", p.ports.to_string()),
            ("limit", p.port_rate_limit().to_string()),
            ("conns", i.peak_connections.to_string()),
            ("tw", p.outbound_close_rate.saturating_mul(TIME_WAIT_SECONDS).to_string()),
            ("need", p.ports_in_use().to_string()),
        ];
        if p.port_exhausted {
            out.push(self.w("port_exhaustion", Severity::Warning, Some("new_connections_per_sec"), "warn.port_exhaustion", &port_vars));
        } else if p.ports_in_use() > p.ports {
            out.push(self.w("ports_busy", Severity::Warning, Some("peak_connections"), "warn.ports_busy", &port_vars));
        }

        let ram = ram_bytes(i.ram_mib);
        let mem_vars = [
            ("sockets", p.sockets.to_string()),
            ("tw", p.tw_sockets.to_string()),
            ("mem", bin_bytes(p.socket_memory)),
            ("ram", bin_bytes(ram)),
            ("rmem", bin_bytes(p.tcp_rmem[2])),
            ("wmem", bin_bytes(p.tcp_wmem[2])),
            ("full", bin_bytes(p.full_buffer_memory())),
            ("tcp_mem", bin_bytes(p.tcp_mem_max_bytes)),
            ("link", bin_bytes(p.buffer_target.saturating_mul(2))),
        ];
        if p.socket_memory > half(ram) {
            out.push(self.w("memory_sockets", Severity::Warning, Some("ram_mib"), "warn.memory_sockets", &mem_vars));
        }
        if p.buffer_target.saturating_mul(2) > p.tcp_mem_max_bytes {
            out.push(self.w("memory_link", Severity::Warning, Some("ram_mib"), "warn.memory_link", &mem_vars));
        }
        if p.full_buffer_memory() > ram {
            out.push(self.w("memory_buffers", Severity::Info, Some("peak_connections"), "warn.memory_buffers", &mem_vars));
        }

        let nofile_vars = [("nofile", p.nofile.to_string()), ("default", p.d.nr_open.to_string()), ("file_max", p.file_max.to_string())];
        if p.nofile > p.d.nr_open {
            if i.container {
                out.push(self.w(
                    "nofile_over_nr_open",
                    Severity::Error,
                    Some("peak_connections"),
                    "warn.nofile_nr_open_container",
                    &nofile_vars,
                ));
            } else {
                out.push(self.w("nofile_over_nr_open", Severity::Info, Some("peak_connections"), "warn.nofile_nr_open", &nofile_vars));
            }
        }
        if i.systemd {
            out.push(self.w("limits_pam_only", Severity::Info, Some("systemd"), "warn.systemd_limits", &nofile_vars));
        } else {
            out.push(self.w("limits_pam_only", Severity::Warning, Some("systemd"), "warn.no_systemd", &nofile_vars));
        }

        if i.container {
            out.push(self.container_scope(settings));
        }

        let kernel = [("kernel", i.kernel.to_string()), ("cc_default", p.d.tcp_congestion_control.clone())];
        if i.kernel < SOMAXCONN_4096_SINCE {
            out.push(self.w("old_kernel", Severity::Warning, Some("kernel"), "warn.old_kernel", &kernel));
        }
        if i.kernel < TW_RECYCLE_REMOVED_IN {
            out.push(self.w("tw_recycle_exists", Severity::Info, Some("kernel"), "warn.tw_recycle_exists", &kernel));
        }
        if i.workload == Workload::Bulk && i.kernel < BBR_SINCE {
            out.push(self.w("no_bbr", Severity::Info, Some("kernel"), "warn.no_bbr", &kernel));
        }
        if p.buffer_capped {
            out.push(self.w(
                "buffer_capped",
                Severity::Info,
                Some("rtt_ms"),
                "warn.buffer_capped",
                &[("bdp", bin_bytes(p.bdp)), ("cap", bin_bytes(p.buffer_target))],
            ));
        }
        out.push(self.w(
            "defaults_estimated",
            Severity::Info,
            Some("ram_mib"),
            "warn.defaults_estimated",
            &[("ram", bin_bytes(ram)), ("kernel", i.kernel.to_string())],
        ));
        out
    }

    /// Which of the report's settings a container can set (per network namespace) and which only
    /// the host can (global).
    fn container_scope(&self, settings: &[Setting]) -> Warning {
        let names = |pred: fn(&Setting) -> bool| {
            let list: Vec<&str> = settings.iter().filter(|s| pred(s)).map(|s| s.key.as_str()).collect();
            if list.is_empty() { "-".to_string() } else { list.join(", ") }
        };
        let netns = names(|s| s.action == Action::Set && matches!(s.scope, Scope::Netns | Scope::NetnsInherited));
        let global = names(|s| s.action == Action::Set && s.scope == Scope::Global);
        let inherited = names(|s| s.scope == Scope::NetnsInherited);
        self.w(
            "container_scope",
            Severity::Info,
            Some("container"),
            "warn.container_scope",
            &[("netns", netns), ("global", global), ("inherited", inherited)],
        )
    }
}

/// The value the report used for a field that was out of range, as the permalink writes it.
fn used_value(used: &Inputs, field: &str) -> String {
    let key = super::inputs::NUM_FIELDS.iter().find(|f| f.json == field).map(|f| f.query).unwrap_or("k");
    used.to_query_pairs().into_iter().find(|(k, _)| k == key).map(|(_, v)| v).unwrap_or_default()
}
