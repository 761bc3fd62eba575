//! The topics a learner's mastery is tracked by: each kind of model question, and the tuning
//! bank. Stored as text in the `answers.kind` column.

use serde::{Deserialize, Serialize};

use super::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Field,
    State,
    Next,
    SpotError,
    /// Questions from `content/quiz/tuning.toml`.
    Tuning,
}

impl Topic {
    pub const ALL: [Topic; 5] = [Topic::Field, Topic::State, Topic::Next, Topic::SpotError, Topic::Tuning];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Field => "field",
            Topic::State => "state",
            Topic::Next => "next",
            Topic::SpotError => "spot_error",
            Topic::Tuning => "tuning",
        }
    }

    pub fn parse(text: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// The model question kind of this topic; `None` for the bank.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Topic::Field => Some(Kind::Field),
            Topic::State => Some(Kind::State),
            Topic::Next => Some(Kind::Next),
            Topic::SpotError => Some(Kind::SpotError),
            Topic::Tuning => None,
        }
    }
}

impl From<Kind> for Topic {
    fn from(kind: Kind) -> Topic {
        match kind {
            Kind::Field => Topic::Field,
            Kind::State => Topic::State,
            Kind::Next => Topic::Next,
            Kind::SpotError => Topic::SpotError,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_and_its_topic_share_their_name() {
        for kind in Kind::ALL {
            let topic = Topic::from(kind);
            assert_eq!(topic.as_str(), kind.as_str());
            assert_eq!(topic.kind(), Some(kind));
            assert_eq!(serde_json::to_string(&topic).unwrap(), serde_json::to_string(&kind).unwrap());
        }
        assert_eq!(Topic::parse("tuning"), Some(Topic::Tuning));
        assert_eq!(Topic::Tuning.kind(), None);
    }
}
