pub mod curriculum_form;
pub mod form;
pub mod layout;
pub mod mentoring;
pub mod toast;
