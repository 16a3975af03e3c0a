//! The pages notifications point at. The app's routes (`app/src/routes.rs`) serve these paths;
//! every link the service stores is built here, so the scheme is written once.

/// The caller's task board.
pub fn task_board() -> String {
    "/tasks".into()
}

pub fn task(id: i32) -> String {
    format!("/tasks/{id}")
}

pub fn mentorship(id: i32) -> String {
    format!("/mentorships/{id}")
}

pub fn form(id: i32) -> String {
    format!("/forms/{id}")
}
