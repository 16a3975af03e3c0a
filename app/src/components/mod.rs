pub mod avatar;
pub mod curriculum_form;
pub mod form;
pub mod icon;
pub mod layout;
pub mod mentoring;
pub mod toast;
pub mod ui;
