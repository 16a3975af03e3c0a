use serde::{Deserialize, Serialize};

/// One page of a list: what every list endpoint answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Items across all pages
    pub total: u64,
    /// 1-based
    pub page: u64,
    pub per_page: u64,
    /// The caller may add a new item of this kind here (a curriculum, a mentorship, a form, a
    /// person), as `service::policy` decides; false for lists nobody adds to directly.
    pub can_create: bool,
}

impl<T> Page<T> {
    /// The same page holding other items (its rows labelled for the client).
    pub fn with<U>(&self, items: Vec<U>) -> Page<U> {
        Page {
            items,
            total: self.total,
            page: self.page,
            per_page: self.per_page,
            can_create: self.can_create,
        }
    }

    /// The same page, saying whether the caller may add to the list.
    pub fn creatable(self, can_create: bool) -> Self {
        Page { can_create, ..self }
    }
}

pub const MAX_PER_PAGE: u64 = 100;
pub const DEFAULT_PER_PAGE: u64 = 20;
/// The last page whose offset a database can take (a signed 64-bit number).
pub const MAX_PAGE: u64 = i64::MAX as u64 / MAX_PER_PAGE;

/// `page` (1..=MAX_PAGE) and `per_page` (1..=100) with defaults, clamped rather than refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    pub page: u64,
    pub per_page: u64,
}

impl PageRequest {
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Self {
        Self {
            page: page.unwrap_or(1).clamp(1, MAX_PAGE),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE),
        }
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_page_number_gives_an_offset_a_database_takes() {
        let last = PageRequest::new(Some(u64::MAX), Some(u64::MAX));
        assert_eq!((last.page, last.per_page), (MAX_PAGE, MAX_PER_PAGE));
        let offset = (last.page - 1).checked_mul(last.per_page).unwrap();
        assert!(i64::try_from(offset).is_ok());
        assert_eq!(
            PageRequest::new(Some(0), Some(0)),
            PageRequest::new(None, Some(1))
        );
    }
}
