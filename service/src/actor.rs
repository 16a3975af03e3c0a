use entity::{user, Role};

/// Who is calling, resolved once by either front door (session cookie or bearer token).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: user::Model,
    pub via: AuthMethod,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    Session,
    /// An access JWT; carries the token family so logout can end exactly that login.
    Bearer {
        family_id: String,
    },
}

impl Actor {
    pub fn id(&self) -> i32 {
        self.user.id
    }

    pub fn role(&self) -> Role {
        self.user.role
    }
}
