pub mod account;
pub mod dashboard;
pub mod departments;
pub mod login;
pub mod not_found;
pub mod register;
pub mod setup;
pub mod users;
