//! How a list is sorted: one of its keys, with `-` in front for descending. Each list names its
//! keys once (`SORTS`), which both the parser here and the REST document read.

use crate::{Result, ServiceError};

/// The column `raw` names among `keys`, and whether it sorts descending; an `invalid_sort` field
/// error (every list alike) when it names none.
pub(crate) fn parse<C: Copy>(raw: &str, keys: &[(&'static str, C)]) -> Result<(C, bool)> {
    let (key, descending) = match raw.strip_prefix('-') {
        Some(k) => (k, true),
        None => (raw, false),
    };
    match keys.iter().find(|(name, _)| *name == key) {
        Some((_, column)) => Ok((*column, descending)),
        None => {
            let names: Vec<&str> = keys.iter().map(|(name, _)| *name).collect();
            Err(ServiceError::invalid(
                "sort",
                "invalid_sort",
                format!("sort by {} (prefix - for descending)", names.join(", ")),
            ))
        }
    }
}

/// Every value `sort` accepts for `keys`: each key, ascending then descending.
pub fn values<C>(keys: &[(&'static str, C)]) -> Vec<String> {
    keys.iter()
        .flat_map(|(name, _)| [(*name).to_owned(), format!("-{name}")])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [(&str, u8); 2] = [("name", 1), ("created_at", 2)];

    #[test]
    fn keys_sort_both_ways_and_nothing_else_parses() {
        assert_eq!(parse("name", &KEYS).unwrap(), (1, false));
        assert_eq!(parse("-created_at", &KEYS).unwrap(), (2, true));
        for bad in ["", "-", "--name", "Name", "email"] {
            let e = parse(bad, &KEYS).unwrap_err();
            assert_eq!(e.fields()[0].code, "invalid_sort", "{bad:?}");
        }
        for value in values(&KEYS) {
            assert!(parse(&value, &KEYS).is_ok(), "{value}");
        }
        assert_eq!(
            values(&KEYS),
            ["name", "-name", "created_at", "-created_at"]
        );
    }
}
