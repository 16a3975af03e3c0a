//! Identity: passwords, sign-in with throttling, access and refresh tokens.

pub mod cache;
pub mod gate;
pub mod login;
pub mod password;
pub mod throttle;
pub mod tokens;

pub use gate::{admit, Errand};
pub use login::{login, resolve_session_user};
pub use tokens::{authenticate_bearer, logout_token, refresh, TokenPair};
