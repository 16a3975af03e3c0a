//! Natural order for names: "멘티 2" before "멘티 10", capitals and small letters alike. The key
//! is stored beside the name (`user.name_key`), so a database orders by it and lists keep paging
//! in the database on every engine.
//!
//! Each run of digits is padded with zeros to a fixed width, so numbers order by value under any
//! collation (byte order, ICU or MariaDB's); letters are lower-cased.

/// Numbers of up to this many digits order by value; longer ones by their digits.
const DIGITS: usize = 10;
/// The longest key stored (a 100-character name cannot pass it; the column holds this many).
pub const KEY_MAX: usize = 600;

pub fn key(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + DIGITS);
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            let value = digits.trim_start_matches('0');
            out.extend(std::iter::repeat_n('0', DIGITS.saturating_sub(value.len())));
            out.push_str(value);
            digits.clear();
        }
    };
    for c in name.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.extend(c.to_lowercase());
        }
    }
    flush(&mut digits, &mut out);
    match out.char_indices().nth(KEY_MAX) {
        Some((cut, _)) => out[..cut].to_owned(),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = names.to_vec();
        v.sort_by_key(|n| key(n));
        v.into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn numbers_order_by_value_and_letters_ignore_case() {
        assert_eq!(
            sorted(&["멘티 10", "멘티 2", "멘티 1", "멘티 100"]),
            ["멘티 1", "멘티 2", "멘티 10", "멘티 100"]
        );
        assert_eq!(
            sorted(&["bob", "Alice", "alice 2"]),
            ["Alice", "alice 2", "bob"]
        );
        assert_eq!(
            sorted(&["item 10a", "item 2b", "item 2a"]),
            ["item 2a", "item 2b", "item 10a"]
        );
        assert_eq!(
            sorted(&["김민수", "강지은", "나영"]),
            ["강지은", "김민수", "나영"]
        );
        assert_eq!(key("v007"), key("v7"));
    }

    #[test]
    fn a_key_never_passes_its_column() {
        let long = "1 ".repeat(400);
        assert_eq!(key(&long).chars().count(), super::KEY_MAX);
    }
}
