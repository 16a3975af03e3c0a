#[path = "domain/hosting/guest_real.rs"]
mod guest_real;
