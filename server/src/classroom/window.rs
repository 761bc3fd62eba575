//! When a published quiz can be taken, and when learners may see their scores.

use tcplab_core::api::classroom::QuizWindow;
use tcplab_core::classroom::{Quiz, ScoreVisibility};

/// How long after closing an attempt already started may still be handed in.
pub const GRACE_SECONDS: i64 = 120;

/// Where a published quiz stands at `now` (Unix seconds).
pub fn of(quiz: &Quiz, now: i64) -> QuizWindow {
    if quiz.opens_at.is_some_and(|t| now < t) {
        QuizWindow::NotYetOpen
    } else if quiz.closes_at.is_some_and(|t| now >= t) {
        QuizWindow::Closed
    } else {
        QuizWindow::Open
    }
}

/// "After close" with no closing time never comes: the instructor closes the quiz to release.
pub fn scores_visible(quiz: &Quiz, now: i64) -> bool {
    match quiz.show_scores {
        ScoreVisibility::Immediately => true,
        ScoreVisibility::AfterClose => quiz.closes_at.is_some_and(|t| now >= t),
        ScoreVisibility::Never => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_visibility_follow_the_clock() {
        let q = Quiz { opens_at: Some(100), closes_at: Some(200), show_scores: ScoreVisibility::AfterClose, ..Quiz::default() };
        assert_eq!([of(&q, 99), of(&q, 100), of(&q, 199), of(&q, 200)], [QuizWindow::NotYetOpen, QuizWindow::Open, QuizWindow::Open, QuizWindow::Closed]);
        assert!(!scores_visible(&q, 199) && scores_visible(&q, 200));
        assert_eq!(of(&Quiz::default(), 0), QuizWindow::Open);
        assert!(!scores_visible(&Quiz { show_scores: ScoreVisibility::Never, ..q }, 1000));
    }
}
