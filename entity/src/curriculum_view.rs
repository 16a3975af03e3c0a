//! What the curricula API answers for one curriculum: its tasks in order with the descriptions
//! rendered to safe HTML, and what the caller may do. Shared with the WASM client, so the pages
//! read the same shape as integrations.

use serde::{Deserialize, Serialize};

use crate::mentoring::CurriculumCapabilities;
use crate::{curriculum, task_template};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurriculumView {
    #[serde(flatten)]
    pub curriculum: curriculum::Model,
    pub description_html: String,
    pub tasks: Vec<TemplateView>,
    #[serde(flatten)]
    pub capabilities: CurriculumCapabilities,
}

/// One task template of a curriculum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TemplateView {
    #[serde(flatten)]
    pub task: task_template::Model,
    pub description_html: String,
}
