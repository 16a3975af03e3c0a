mod faults;
mod guest_real;
mod lifecycle;
mod nginx;
mod reconcile;
mod support;
