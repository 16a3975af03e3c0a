use serde::{Deserialize, Serialize};

use crate::FieldError;

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

impl PageRequest {
    /// `page` and `per_page` as a client sent them: out of range is an error per field, so a
    /// client learns the bounds instead of silently getting another page than it asked for.
    pub fn checked(page: Option<i64>, per_page: Option<i64>) -> Result<Self, Vec<FieldError>> {
        let mut problems = Vec::new();
        let request = Self {
            page: bounded("page", page, MAX_PAGE, 1, &mut problems),
            per_page: bounded(
                "per_page",
                per_page,
                MAX_PER_PAGE,
                DEFAULT_PER_PAGE,
                &mut problems,
            ),
        };
        if problems.is_empty() {
            Ok(request)
        } else {
            Err(problems)
        }
    }
}

/// A page number or size as a client sent it: `default` when absent, else within `1..=max`, or a
/// field error naming `field` (added to `problems`) and `default`. Every paged door uses it, so
/// they refuse alike.
pub fn bounded(
    field: &str,
    value: Option<i64>,
    max: u64,
    default: u64,
    problems: &mut Vec<FieldError>,
) -> u64 {
    match value {
        None => default,
        Some(n) if n >= 1 && (n as u64) <= max => n as u64,
        Some(_) => {
            problems.push(FieldError::new(
                field,
                "out_of_range",
                format!("use a number from 1 to {max}"),
            ));
            default
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

    #[test]
    fn a_client_s_page_out_of_range_is_an_error_per_field() {
        assert_eq!(PageRequest::checked(None, None), Ok(PageRequest::default()));
        let last = PageRequest::checked(Some(MAX_PAGE as i64), Some(100)).unwrap();
        assert_eq!((last.page, last.per_page), (MAX_PAGE, 100));
        for (page, per_page, fields) in [
            (Some(0), None, vec!["page"]),
            (Some(-1), Some(101), vec!["page", "per_page"]),
            (Some(MAX_PAGE as i64 + 1), Some(0), vec!["page", "per_page"]),
            (Some(i64::MAX), None, vec!["page"]),
        ] {
            let problems = PageRequest::checked(page, per_page).unwrap_err();
            let named: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
            assert_eq!(named, fields);
            assert!(problems.iter().all(|p| p.code == "out_of_range"));
        }
    }
}
