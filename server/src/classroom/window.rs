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

/// Where a published quiz stands for handing in an attempt at `now`: as [`of`], but the close
/// comes [`GRACE_SECONDS`] later. The grace is for the close only: an attempt cannot exist
/// before the opening, and moving the opening would refuse hand-ins in the first minutes.
pub fn for_hand_in(quiz: &Quiz, now: i64) -> QuizWindow {
    if quiz.opens_at.is_some_and(|t| now < t) {
        QuizWindow::NotYetOpen
    } else if quiz.closes_at.is_some_and(|t| now >= t.saturating_add(GRACE_SECONDS)) {
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
        assert_eq!(
            [of(&q, 99), of(&q, 100), of(&q, 199), of(&q, 200)],
            [QuizWindow::NotYetOpen, QuizWindow::Open, QuizWindow::Open, QuizWindow::Closed]
        );
        assert!(!scores_visible(&q, 199) && scores_visible(&q, 200));
        assert_eq!(of(&Quiz::default(), 0), QuizWindow::Open);
        assert!(!scores_visible(&Quiz { show_scores: ScoreVisibility::Never, ..q }, 1000));
    }

    #[test]
    fn the_grace_moves_the_close_only() {
        let q = Quiz { opens_at: Some(1000), closes_at: Some(2000), ..Quiz::default() };
        let hand_in = |t| for_hand_in(&q, t);
        assert_eq!(hand_in(999), QuizWindow::NotYetOpen);
        assert_eq!(hand_in(1000), QuizWindow::Open, "at the opening itself");
        assert_eq!(hand_in(1010), QuizWindow::Open, "10 s after the opening");
        assert_eq!(hand_in(2000 + GRACE_SECONDS - 1), QuizWindow::Open);
        assert_eq!(hand_in(2000 + GRACE_SECONDS), QuizWindow::Closed);
    }
}
