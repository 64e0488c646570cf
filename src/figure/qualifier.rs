//! How the text hedges a number: a module of its own, as the word tables (and so build.rs,
//! which builds them) need it without the rest of a figure.

use serde::{Deserialize, Serialize};

/// How the text hedges the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    About,
    MoreThan,
    LessThan,
    Almost,
}

impl Qualifier {
    pub fn is_exact(self) -> bool {
        self == Qualifier::Exact
    }
}
