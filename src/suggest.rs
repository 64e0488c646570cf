//! "Did you mean": the known word closest to one that is not known, for messages about a
//! mistyped id (`--category personel`, a reference column `tankz`).

/// The candidate closest to `word`, if one is close enough to be what was meant: the same word
/// in another case first, then the fewest edits, at most one per three letters (and at least
/// one). Ties go to the earlier candidate, so the answer does not depend on anything but the
/// order given.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let allowed = (lower.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(&lower, &candidate.to_lowercase());
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `; did you mean "x"?` for a message, or nothing.
pub fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates).map_or_else(String::new, |c| format!("; did you mean {c:?}?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 4] = ["personnel", "tanks", "afv", "uav"];

    #[test]
    fn another_case_is_the_same_word() {
        assert_eq!(closest("Tanks", IDS), Some("tanks"));
    }

    #[test]
    fn a_typo_finds_the_id_meant() {
        assert_eq!(closest("personel", IDS), Some("personnel"));
        assert_eq!(closest("tankz", IDS), Some("tanks"));
    }

    #[test]
    fn a_word_far_from_every_id_finds_none() {
        assert_eq!(closest("pow", IDS), None);
        assert_eq!(closest("greatest losses direction", IDS), None);
        assert_eq!(hint("pow", IDS), "");
    }

    #[test]
    fn the_hint_quotes_the_id() {
        assert_eq!(hint("personel", IDS), "; did you mean \"personnel\"?");
    }
}
