//! Classes, class quizzes and their results: instructors write quizzes, learners in their classes
//! take them, each with their own numbers, and the server grades and summarizes. Who may do what
//! is decided in [`access`] for every route.

mod access;
mod attempts;
mod classes;
pub mod due;
mod exceptions;
pub mod exchange;
mod gradebook;
mod quizzes;
mod results;
mod store;
mod transfer;
mod window;

use crate::routes::Routes;

pub fn router() -> Routes {
    Routes::new()
        .get("/classes", classes::list)
        .post("/classes", classes::create)
        .post("/classes/join", classes::join)
        .get("/classes/{id}", classes::show)
        .put("/classes/{id}", classes::change)
        .post("/classes/{id}/leave", classes::leave)
        .post("/classes/{id}/purge-deleted", classes::purge_deleted)
        .delete("/classes/{id}/members/{username}", classes::remove_member)
        .delete("/classes/{id}", classes::delete)
        .get("/classes/{id}/gradebook", gradebook::json)
        .get("/classes/{id}/gradebook.csv", gradebook::csv_file)
        // A whole quiz: up to 50 questions in two languages.
        .post_up_to("/classes/{id}/quizzes", quizzes::create, quizzes::MAX_QUIZ_BYTES)
        .get("/quizzes/{id}", quizzes::show)
        .put_up_to("/quizzes/{id}", quizzes::save, quizzes::MAX_QUIZ_BYTES)
        .post("/quizzes/{id}/duplicate", quizzes::duplicate)
        .delete("/quizzes/{id}", quizzes::delete)
        .get("/quizzes/{id}/results", results::json)
        .get("/quizzes/{id}/results.csv", results::csv_file)
        .get("/quizzes/{id}/exceptions", exceptions::list)
        .put("/quizzes/{id}/exceptions", exceptions::set)
        .get("/quizzes/{id}/export", transfer::export)
        // A Moodle export of a whole question bank can be far over the general limit.
        .post_up_to("/quizzes/{id}/import", transfer::import, transfer::MAX_IMPORT_BYTES)
        .post("/quizzes/{id}/attempts", attempts::start)
        .get("/attempts/{id}", attempts::show)
        .put("/attempts/{id}/answers", attempts::save_answers)
        .post("/attempts/{id}/submit", attempts::submit)
        .put("/attempts/{id}/score", attempts::set_score)
}
