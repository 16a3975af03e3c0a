//! What the forms API answers: a form with its questions, a response, the results. Shared with
//! the WASM client so pages read the same shapes as integrations.

use serde::{Deserialize, Serialize};

use crate::{form, FormKind, Role};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuestionView {
    pub id: i32,
    /// 0-based, the order the form shows.
    pub position: i32,
    pub kind: FormKind,
    pub label: String,
    pub required: bool,
    /// Choice questions only (empty otherwise).
    pub options: Vec<String>,
}

/// One person's answers, one per question in question order (`null` where unanswered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResponseView {
    pub id: i32,
    pub user_id: i32,
    pub name: String,
    pub email: String,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Strings (text, date, single choice), arrays of strings (multiple choice), numbers
    /// (number, rating) or `null`.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub answers: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FormView {
    #[serde(flatten)]
    pub form: form::Model,
    pub closed: bool,
    pub questions: Vec<QuestionView>,
    pub recipient_count: u64,
    pub response_count: u64,
    /// The caller may change, close and read the results of this form.
    pub can_manage: bool,
    /// The form was sent to the caller.
    pub is_recipient: bool,
    /// The caller's own answers, when they are a recipient who answered.
    pub my_response: Option<ResponseView>,
}

/// A line of the forms list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FormSummary {
    #[serde(flatten)]
    pub form: form::Model,
    pub closed: bool,
    pub question_count: u64,
    pub recipient_count: u64,
    pub response_count: u64,
    /// The caller made it.
    pub mine: bool,
    /// It was sent to the caller…
    pub sent_to_me: bool,
    /// …and they answered it.
    pub answered: bool,
}

/// A recipient and whether they answered yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RecipientStatus {
    pub user_id: i32,
    pub name: String,
    pub email: String,
    pub answered: bool,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OptionCount {
    pub option: String,
    pub count: u64,
}

/// How often each option (or rating 1–5) was chosen, for a choice or rating question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuestionChart {
    pub question_id: i32,
    pub position: i32,
    pub label: String,
    pub counts: Vec<OptionCount>,
}

/// Everything the owner sees about the answers to a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FormResults {
    pub form: FormView,
    /// Every recipient by name, answered or not.
    pub recipients: Vec<RecipientStatus>,
    /// Every response by respondent name.
    pub responses: Vec<ResponseView>,
    pub charts: Vec<QuestionChart>,
}

/// Someone a form can be sent to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Addressee {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub department_id: Option<i32>,
}

/// A department a form can be sent to (everyone active in it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentChoice {
    pub id: i32,
    pub name: String,
    /// Active people in it.
    pub members: u64,
}

/// A mentorship a form can be sent to (its mentee answers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MentorshipChoice {
    pub id: i32,
    pub mentee_id: i32,
    pub mentor_name: String,
    pub mentee_name: String,
}

/// Whom the caller may send a form to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Audience {
    pub people: Vec<Addressee>,
    pub departments: Vec<DepartmentChoice>,
    pub mentorships: Vec<MentorshipChoice>,
}
