//! The eleven connection states of RFC 9293 and the transitions between them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A connection's state, named as in RFC 9293 section 3.3.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum TcpState {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    #[serde(rename = "FIN-WAIT-1")]
    FinWait1,
    #[serde(rename = "FIN-WAIT-2")]
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

impl TcpState {
    pub const ALL: [TcpState; 11] = [
        TcpState::Closed,
        TcpState::Listen,
        TcpState::SynSent,
        TcpState::SynReceived,
        TcpState::Established,
        TcpState::FinWait1,
        TcpState::FinWait2,
        TcpState::CloseWait,
        TcpState::Closing,
        TcpState::LastAck,
        TcpState::TimeWait,
    ];

    /// The RFC's spelling, which is also what the interface shows in both languages.
    pub fn name(self) -> &'static str {
        match self {
            TcpState::Closed => "CLOSED",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
        }
    }

    /// Parses the RFC name; Linux's `ss` spellings (`SYN_RECV`, `TIME_WAIT`, `ESTAB`) are accepted too.
    pub fn parse(text: &str) -> Option<TcpState> {
        let norm = text.trim().to_ascii_uppercase().replace('_', "-");
        let alias = match norm.as_str() {
            "SYN-RECV" => "SYN-RECEIVED",
            "ESTAB" => "ESTABLISHED",
            "FIN-WAIT1" => "FIN-WAIT-1",
            "FIN-WAIT2" => "FIN-WAIT-2",
            "CLOSE" => "CLOSED",
            other => other,
        };
        TcpState::ALL.into_iter().find(|s| s.name() == alias)
    }

    /// Whether the connection is synchronized: both ISNs known, so ACK numbers mean something.
    pub fn is_synchronized(self) -> bool {
        !matches!(self, TcpState::Closed | TcpState::Listen | TcpState::SynSent)
    }

    /// Whether RFC 9293 (figure 5 and the event processing of section 3.10) lets a connection go
    /// from `self` to `to` in one event. Besides the figure's arrows this includes the ways out by
    /// reset or abort, and FIN-WAIT-1 straight to TIME-WAIT on a FIN that also acknowledges ours.
    pub fn can_become(self, to: TcpState) -> bool {
        use TcpState::*;
        if self == to {
            return true;
        }
        match self {
            Closed => matches!(to, Listen | SynSent),
            Listen => matches!(to, SynReceived | SynSent | Closed),
            SynSent => matches!(to, SynReceived | Established | Closed),
            SynReceived => matches!(to, Established | FinWait1 | Listen | Closed),
            Established => matches!(to, FinWait1 | CloseWait | Closed),
            FinWait1 => matches!(to, FinWait2 | Closing | TimeWait | Closed),
            FinWait2 => matches!(to, TimeWait | Closed),
            CloseWait => matches!(to, LastAck | Closed),
            Closing => matches!(to, TimeWait | Closed),
            LastAck => matches!(to, Closed),
            TimeWait => matches!(to, Closed),
        }
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_linux_spellings_parse() {
        for s in TcpState::ALL {
            assert_eq!(TcpState::parse(s.name()), Some(s));
        }
        assert_eq!(TcpState::parse("SYN_RECV"), Some(TcpState::SynReceived));
        assert_eq!(TcpState::parse("time_wait"), Some(TcpState::TimeWait));
        assert_eq!(TcpState::parse("nope"), None);
    }

    #[test]
    fn the_textbook_shortcuts_are_not_legal() {
        assert!(!TcpState::Listen.can_become(TcpState::Established));
        assert!(!TcpState::Established.can_become(TcpState::TimeWait));
        assert!(!TcpState::CloseWait.can_become(TcpState::TimeWait));
        assert!(TcpState::FinWait1.can_become(TcpState::Closing));
    }

    #[test]
    fn json_uses_the_rfc_names() {
        assert_eq!(serde_json::to_string(&TcpState::SynReceived).unwrap(), "\"SYN-RECEIVED\"");
        assert_eq!(serde_json::to_string(&TcpState::FinWait1).unwrap(), "\"FIN-WAIT-1\"");
    }
}
