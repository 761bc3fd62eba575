//! The text of the files and commands the user installs.
//!
//! The sysctl drop-in goes to `/etc/sysctl.d/` and is applied with `sysctl --system` (`sysctl -p`
//! reads only /etc/sysctl.conf). Its header repeats the inputs and the permalink, so a file found
//! on a server years later says where it came from. With comments off, only the permalink line
//! stays; kept defaults and explanations go.

use super::inputs::Workload;
use super::knowledge::{Direction, Knowledge, Scope};
use super::plan::Plan;
use super::report::{Action, Commands, Files, Nofile, Setting};
use crate::lang::Lang;

pub const SYSCTL_PATH: &str = "/etc/sysctl.d/90-tcplab.conf";
pub const LIMITS_PATH: &str = "/etc/security/limits.d/90-tcplab.conf";
pub const SYSTEMD_PATH: &str = "/etc/systemd/system/<service>.service.d/90-tcplab.conf";
/// Where the snapshot of the current values goes. Not under /etc/sysctl.d/, or it would be applied.
pub const SNAPSHOT_PATH: &str = "/root/tcplab-sysctl-before.conf";
/// The permalink base used when the caller does not know the host name.
pub const PERMALINK_BASE: &str = "https://<host>/config";

pub struct Render<'a> {
    pub p: &'a Plan,
    pub k: &'a Knowledge,
    pub lang: Lang,
    pub settings: &'a [Setting],
    pub nofile: &'a Nofile,
    pub permalink: String,
}

/// Turns a text into `#` comment lines (texts may hold line breaks).
fn comment(out: &mut String, text: &str) {
    for line in text.lines() {
        if line.trim().is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}

impl Render<'_> {
    fn t(&self, id: &str, vars: &[(&str, String)]) -> String {
        self.k.text(id, self.lang, vars)
    }

    fn comments(&self) -> bool {
        self.p.inputs.comments
    }

    fn workload_name(&self, w: Workload) -> String {
        let id = match w {
            Workload::ShortLived => "workload.short",
            Workload::Proxy => "workload.proxy",
            Workload::LongLived => "workload.long",
            Workload::Bulk => "workload.bulk",
            Workload::OutboundClient => "workload.client",
        };
        self.t(id, &[])
    }

    pub fn files(&self) -> Files {
        Files {
            sysctl_conf: self.sysctl_conf(),
            limits_conf: self.limits_conf(),
            systemd_dropin: self.p.inputs.systemd.then(|| self.systemd_dropin()),
            commands: self.commands(),
        }
    }

    fn header_inputs(&self, out: &mut String) {
        let i = &self.p.inputs;
        let yes_no = |b: bool| if b { self.t("word.yes", &[]) } else { self.t("word.no", &[]) };
        let rows: [(&str, String); 12] = [
            ("field.workload", format!("{} — {}", i.workload.key(), self.workload_name(i.workload))),
            ("field.peak_connections", i.peak_connections.to_string()),
            ("field.new_connections_per_sec", i.new_connections_per_sec.to_string()),
            ("field.active_close_percent", format!("{}%", i.active_close_percent)),
            ("field.ram_mib", format!("{} MiB", i.ram_mib)),
            ("field.cpu_cores", i.cpu_cores.to_string()),
            ("field.nic_mbit", format!("{} Mbit/s", i.nic_mbit)),
            ("field.rtt_ms", format!("{} ms", i.rtt_ms)),
            ("field.kernel", i.kernel.to_string()),
            ("field.container", yes_no(i.container)),
            ("field.systemd", yes_no(i.systemd)),
            ("field.comments", yes_no(i.comments)),
        ];
        comment(out, &self.t("file.inputs", &[]));
        for (id, value) in rows {
            comment(out, &format!("  {}: {value}", self.t(id, &[])));
        }
    }

    fn sysctl_conf(&self) -> String {
        let mut out = String::with_capacity(8 * 1024);
        let title = self.t("file.title", &[("workload", self.workload_name(self.p.inputs.workload))]);
        let permalink = self.t("file.permalink", &[("url", self.permalink.clone())]);
        comment(&mut out, &format!("{SYSCTL_PATH}: {title}"));
        comment(&mut out, &permalink);
        if !self.comments() {
            for s in self.settings.iter().filter(|s| s.written) {
                line(&mut out, &format!("{} = {}", s.key, s.value));
            }
            return out;
        }
        comment(&mut out, "");
        self.header_inputs(&mut out);
        comment(&mut out, "");
        comment(&mut out, &self.t("file.apply", &[("path", SYSCTL_PATH.to_string())]));
        comment(&mut out, &self.t("file.snapshot", &[("path", SNAPSHOT_PATH.to_string())]));
        let keep = self.t("file.keep_default", &[]);
        for s in self.settings {
            let title = self.k.param(&s.key).map(|p| p.title.get(self.lang).to_string()).unwrap_or_default();
            out.push('\n');
            comment(&mut out, &format!("{} — {title}", s.key));
            comment(&mut out, &s.reason);
            match s.action {
                Action::Set if s.written => line(&mut out, &format!("{} = {}", s.key, s.value)),
                Action::Set => comment(&mut out, &format!("{} = {}    ({})", s.key, s.value, self.t("file.host_only", &[]))),
                Action::KeepDefault => comment(&mut out, &format!("{} = {}    ({keep})", s.key, s.value)),
                Action::NotForTcp => comment(&mut out, &self.t("file.not_tcp", &[("key", s.key.clone())])),
            }
        }
        out
    }

    fn limits_conf(&self) -> String {
        let n = self.nofile;
        let mut out = String::new();
        comment(&mut out, LIMITS_PATH);
        if self.comments() {
            comment(&mut out, &self.t("file.limits_title", &[]));
            comment(&mut out, &self.nofile.reason);
            comment(&mut out, &self.t("file.limits_root", &[]));
        }
        for domain in ["*", "root"] {
            line(&mut out, &format!("{domain:<6}soft  nofile  {}", n.soft));
            line(&mut out, &format!("{domain:<6}hard  nofile  {}", n.hard));
        }
        out
    }

    fn systemd_dropin(&self) -> String {
        let mut out = String::new();
        comment(&mut out, SYSTEMD_PATH);
        if self.comments() {
            comment(&mut out, &self.t("file.systemd_title", &[("path", SYSTEMD_PATH.to_string())]));
        }
        line(&mut out, "[Service]");
        line(&mut out, &format!("LimitNOFILE={}", self.nofile.hard));
        out
    }

    /// Keys that get an active line, or that a container must leave to the host.
    fn set_keys(&self) -> Vec<&Setting> {
        self.settings.iter().filter(|s| s.action == Action::Set).collect()
    }

    fn commands(&self) -> Commands {
        Commands { save: self.save(), apply: self.apply(), verify: self.verify(), rollback: self.rollback() }
    }

    fn step(&self, out: &mut String, id: &str, vars: &[(&str, String)]) {
        if self.comments() {
            comment(out, &self.t(id, vars));
        }
    }

    fn save(&self) -> String {
        let mut out = String::new();
        let keys = self.set_keys();
        let pattern: Vec<String> = keys.iter().map(|s| s.key.replace('.', "\\.")).collect();
        self.step(&mut out, "cmd.save", &[("path", SNAPSHOT_PATH.to_string())]);
        if pattern.is_empty() {
            line(&mut out, "true");
            return out;
        }
        line(
            &mut out,
            &format!(
                "sudo sh -c 'test -e {SNAPSHOT_PATH} || sysctl -a 2>/dev/null | grep -E \"^({}) = \" > {SNAPSHOT_PATH}'",
                pattern.join("|")
            ),
        );
        line(&mut out, &format!("sudo cat {SNAPSHOT_PATH}"));
        out.push('\n');
        // "Only raise": list keys whose running value is already above what the file sets.
        self.step(&mut out, "cmd.compare", &[]);
        line(
            &mut out,
            "tcplab_higher() { key=$1; new=$2; cur=$(sysctl -n \"$key\" 2>/dev/null) || return 0; set -- $cur; \
             for n in $new; do c=${1:-}; [ $# -gt 0 ] && shift; case \"$n:$c\" in *[!0-9:]*|:*|*:) continue ;; esac; \
             [ \"$c\" -gt \"$n\" ] && echo \"$key: $(echo $cur) > $new\"; done; return 0; }",
        );
        for s in &keys {
            match s.direction {
                Some(Direction::Raise) => line(&mut out, &format!("tcplab_higher {} \"{}\"", s.key, s.value)),
                Some(Direction::Widen) => {
                    let mut ends = s.value.split_whitespace();
                    let (lo, hi) = (ends.next().unwrap_or("0"), ends.next().unwrap_or("0"));
                    line(
                        &mut out,
                        &format!(
                            "set -- $(sysctl -n {key}); {{ [ \"${{1:-{lo}}}\" -lt {lo} ] || [ \"${{2:-{hi}}}\" -gt {hi} ]; }} && echo \"{key}: $1 $2 ⊃ {lo} {hi}\"",
                            key = s.key
                        ),
                    );
                }
                None => {}
            }
        }
        out
    }

    fn apply(&self) -> String {
        let mut out = String::new();
        let n = self.nofile.hard;
        if self.p.inputs.container {
            let flags: Vec<String> = self
                .settings
                .iter()
                .filter(|s| s.action == Action::Set && matches!(s.scope, Scope::Netns | Scope::NetnsInherited))
                .map(|s| format!("--sysctl {}=\"{}\"", s.key, s.value))
                .collect();
            self.step(&mut out, "cmd.apply_container", &[]);
            line(&mut out, &format!("docker run {} --ulimit nofile={n}:{n} <image>", flags.join(" ")));
            let global: Vec<&Setting> = self.settings.iter().filter(|s| s.action == Action::Set && s.scope == Scope::Global).collect();
            if !global.is_empty() {
                out.push('\n');
                self.step(&mut out, "cmd.apply_host", &[]);
                for s in global {
                    line(&mut out, &format!("sudo sysctl -w {}=\"{}\"", s.key, s.value));
                }
            }
            return out;
        }
        self.step(&mut out, "cmd.apply", &[("path", SYSCTL_PATH.to_string())]);
        line(&mut out, &format!("sudo install -m 0644 90-tcplab.conf {SYSCTL_PATH}"));
        line(&mut out, "sudo sysctl --system");
        out.push('\n');
        self.step(&mut out, "cmd.limits", &[("path", LIMITS_PATH.to_string())]);
        line(&mut out, &format!("sudo install -m 0644 90-tcplab-limits.conf {LIMITS_PATH}"));
        if self.p.inputs.systemd {
            out.push('\n');
            self.step(&mut out, "cmd.systemd", &[("path", SYSTEMD_PATH.to_string())]);
            line(&mut out, "sudo mkdir -p /etc/systemd/system/<service>.service.d");
            line(&mut out, &format!("sudo install -m 0644 90-tcplab-systemd.conf {SYSTEMD_PATH}"));
            line(&mut out, "sudo systemctl daemon-reload && sudo systemctl restart <service>");
        }
        out
    }

    fn verify(&self) -> String {
        let mut out = String::new();
        let keys: Vec<&str> = self.set_keys().iter().map(|s| s.key.as_str()).collect();
        if !keys.is_empty() {
            self.step(&mut out, "cmd.verify_values", &[]);
            line(&mut out, &format!("sysctl {}", keys.join(" ")));
            out.push('\n');
        }
        self.step(&mut out, "cmd.verify_counters", &[]);
        line(
            &mut out,
            "nstat -az TcpExtListenOverflows TcpExtListenDrops TcpExtTCPTimeWaitOverflow TcpExtTCPReqQFullDrop TcpExtSyncookiesSent TcpExtTCPMemoryPressures",
        );
        out.push('\n');
        self.step(&mut out, "cmd.verify_sockstat", &[]);
        line(&mut out, "cat /proc/net/sockstat");
        out.push('\n');
        self.step(&mut out, "cmd.verify_listen", &[]);
        line(&mut out, "ss -lnt");
        out.push('\n');
        self.step(&mut out, "cmd.verify_nofile", &[("nofile", self.nofile.hard.to_string())]);
        line(&mut out, "prlimit --nofile --pid <PID>");
        out
    }

    fn rollback(&self) -> String {
        let mut out = String::new();
        self.step(&mut out, "cmd.rollback", &[("path", SNAPSHOT_PATH.to_string())]);
        if self.p.inputs.container {
            line(&mut out, &format!("sudo sysctl -p {SNAPSHOT_PATH}"));
            return out;
        }
        line(&mut out, &format!("sudo rm -f {SYSCTL_PATH} {LIMITS_PATH}"));
        line(&mut out, &format!("sudo sysctl -p {SNAPSHOT_PATH}"));
        if self.p.inputs.systemd {
            line(&mut out, &format!("sudo rm -f {SYSTEMD_PATH}"));
            line(&mut out, "sudo systemctl daemon-reload && sudo systemctl restart <service>");
        }
        out
    }
}
