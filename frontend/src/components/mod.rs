pub mod account;
pub mod layout;
pub mod player;
pub mod question;
pub mod server_status;
pub mod time;
