//! Accounts: logging in and registering, who is logged in, roles and instructor invites.

use serde::{Deserialize, Serialize};

/// `POST /api/auth/register` and `/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
    /// Registering only: the token of an invite link, for an instructor's (or admin's) account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite: Option<String>,
}

/// `POST /api/auth/password`: the current password, and the new one. Every other session of
/// the account is logged out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// `POST /api/account/delete`: the password, once more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDeletion {
    pub password: String,
}

/// What an account may do. Everybody is a learner; instructors also run classes; admins also
/// invite instructors and see every class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Learner,
    Instructor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Learner, Role::Instructor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Instructor => "instructor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    pub fn teaches(self) -> bool {
        self >= Role::Instructor
    }
}

/// `GET /api/auth/me` and the answer to logging in, registering and out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Me {
    pub username: Option<String>,
    #[serde(default)]
    pub role: Role,
}

/// `POST /api/admin/invites`: a one-time link that makes its user an instructor (or admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvite {
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    /// The path to open, `/invite/<token>`; the token is shown this once and stored hashed.
    pub path: String,
    pub role: Role,
    /// Unix seconds.
    pub expires_at: i64,
}

/// `GET /api/invites/{token}`: what an invite link gives, before registering with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInfo {
    pub role: Role,
    pub expires_at: i64,
}

/// Read from the text the database stores (`Role::as_str`).
impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(text: String) -> Result<Role, String> {
        Role::parse(&text).ok_or_else(|| format!("{text:?} is not a role"))
    }
}

/// `GET /api/admin/accounts?q=&offset=`: one page of accounts, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    pub accounts: Vec<AccountRow>,
    /// Accounts matching the search, of which this page holds at most [`ACCOUNTS_PER_PAGE`].
    pub total: u32,
}

/// Accounts an admin reads per page: the list stays quick on a campus-sized database.
pub const ACCOUNTS_PER_PAGE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub username: String,
    pub role: Role,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Classes the account teaches.
    pub classes: u32,
    /// A disabled account cannot log in; its data stays.
    pub disabled: bool,
}

/// `PUT /api/admin/accounts/{username}`: disable an account (its sessions end) or enable it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountChange {
    pub disabled: bool,
}

/// `POST /api/admin/accounts/{username}/reset`: a one-time link that sets a new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLink {
    /// The path to open, `/reset/<token>`; the token is shown this once and stored hashed.
    pub path: String,
    pub username: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// `GET /api/resets/{token}`: whose password a live reset link sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetInfo {
    pub username: String,
    pub expires_at: i64,
}

/// `POST /api/auth/reset`: spends a reset link on a new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub token: String,
    pub password: String,
}
