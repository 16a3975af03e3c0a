//! Reading nuri's named values (roles, statuses, question kinds) from text: one `FromStr` per
//! enum, by the same names the database and JSON use, all failing the same way. `service` maps
//! the failure to a field error once (`service::error::parse`).

/// Text that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    /// Stable code the UI translates (`invalid_role`, `invalid_status`, `invalid_kind`).
    pub code: &'static str,
    /// The names that would have been accepted, in the enum's order.
    pub expected: Vec<&'static str>,
}

impl std::fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "use one of: {}", self.expected.join(", "))
    }
}

impl std::error::Error for InvalidValue {}

/// `FromStr` (exact names, failing with `InvalidValue { code: $code, .. }`) and `Display` for an
/// enum with `ALL` and `as_str`.
macro_rules! named_values {
    ($t:ty, $code:literal) => {
        impl std::str::FromStr for $t {
            type Err = $crate::named::InvalidValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$t>::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::named::InvalidValue {
                        code: $code,
                        expected: <$t>::ALL.map(<$t>::as_str).to_vec(),
                    })
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use named_values;

#[cfg(test)]
mod tests {
    use crate::{FormKind, MentorshipStatus, Role, TaskStatus};

    #[test]
    fn every_name_reads_back_and_nothing_else_does() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse(), Ok(r));
        }
        for s in TaskStatus::ALL {
            assert_eq!(s.to_string().parse(), Ok(s));
        }
        for s in MentorshipStatus::ALL {
            assert_eq!(s.as_str().parse(), Ok(s));
        }
        for k in FormKind::ALL {
            assert_eq!(k.as_str().parse(), Ok(k));
        }
        let wrong = "Admin".parse::<Role>().unwrap_err();
        assert_eq!(wrong.code, "invalid_role");
        assert_eq!(wrong.to_string(), "use one of: admin, mentor, mentee");
        assert_eq!(
            " done".parse::<TaskStatus>().unwrap_err().code,
            "invalid_status"
        );
        assert_eq!(
            "".parse::<MentorshipStatus>().unwrap_err().code,
            "invalid_status"
        );
        assert_eq!(
            "essay".parse::<FormKind>().unwrap_err().code,
            "invalid_kind"
        );
    }
}
