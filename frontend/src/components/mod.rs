pub mod layout;
pub mod player;
pub mod server_status;
