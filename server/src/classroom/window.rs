//! When a published quiz can be taken, and when learners may see their scores.

use tcplab_core::api::classroom::{Allowance, QuizWindow};
use tcplab_core::classroom::{Quiz, ScoreVisibility};

/// How long after its due time (the close, or the end of its time limit) an attempt already
/// started may still be saved and handed in: the press of "Submit" at 9:59:59 must not lose the
/// work to a slow network. Once the grace is over the server hands the attempt in itself.
pub const GRACE_SECONDS: i64 = 30;

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

/// The quiz as one learner has it: their extra attempts, their own close, their extra time.
pub fn for_learner(quiz: Quiz, allowance: &Allowance) -> Quiz {
    Quiz {
        attempts_allowed: quiz.attempts_allowed + allowance.extra_attempts,
        closes_at: allowance.closes_at.or(quiz.closes_at),
        time_limit_s: quiz.time_limit_s.map(|s| s + allowance.extra_time_s),
        ..quiz
    }
}

/// When an attempt is due: the quiz's close or the end of its own time limit (`time_due`),
/// whichever is earlier; `None` when neither is set.
pub fn due(quiz: &Quiz, time_due: Option<i64>) -> Option<i64> {
    match (quiz.closes_at, time_due) {
        (Some(close), Some(limit)) => Some(close.min(limit)),
        (close, limit) => close.or(limit),
    }
}

/// Where a published quiz stands for saving or handing in an attempt due at `due` at `now`:
/// as [`of`], but the end comes [`GRACE_SECONDS`] after the attempt's due time. The grace is
/// for the end only: an attempt cannot exist before the opening, and moving the opening would
/// refuse hand-ins in the first minutes.
pub fn for_hand_in(quiz: &Quiz, due: Option<i64>, now: i64) -> QuizWindow {
    if quiz.opens_at.is_some_and(|t| now < t) {
        QuizWindow::NotYetOpen
    } else if due.is_some_and(|t| now >= t.saturating_add(GRACE_SECONDS)) {
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
        let hand_in = |t| for_hand_in(&q, due(&q, None), t);
        assert_eq!(hand_in(999), QuizWindow::NotYetOpen);
        assert_eq!(hand_in(1000), QuizWindow::Open, "at the opening itself");
        assert_eq!(hand_in(1010), QuizWindow::Open, "10 s after the opening");
        assert_eq!(hand_in(2000 + GRACE_SECONDS - 1), QuizWindow::Open);
        assert_eq!(hand_in(2000 + GRACE_SECONDS), QuizWindow::Closed);
    }

    #[test]
    fn an_attempt_is_due_at_the_close_or_its_time_limit_whichever_is_first() {
        let q = Quiz { closes_at: Some(2000), ..Quiz::default() };
        assert_eq!(due(&q, Some(1500)), Some(1500), "the time limit runs out first");
        assert_eq!(due(&q, Some(2500)), Some(2000), "started near the close: the close still ends it");
        assert_eq!(due(&q, None), Some(2000));
        assert_eq!(due(&Quiz::default(), Some(1500)), Some(1500));
        assert_eq!(due(&Quiz::default(), None), None);
        assert_eq!(for_hand_in(&q, Some(1500), 1500 + GRACE_SECONDS), QuizWindow::Closed, "the limit ends hand-ins too");
        assert_eq!(for_hand_in(&q, Some(1500), 1500 + GRACE_SECONDS - 1), QuizWindow::Open);
    }
}
