//! A figure's line of `casrep extract`, written by hand: the bytes `serde_json::to_writer` writes
//! for a [`Figure`] (its fields in order, the same escapes), without serde's machinery per field
//! and with a string's plain runs found eight bytes at a time. Every figure goes through here,
//! and its sentence is most of the output. The tests hold it to serde_json's bytes.

use crate::figure::{Figure, Kind, Qualifier};

/// Appends `f` as one line of compact JSON, without the line end.
pub fn write(f: &Figure, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"file\":");
    string(&f.file, out);
    if let Some(hash) = &f.hash {
        out.extend_from_slice(b",\"hash\":");
        string(hash, out);
    }
    field_number(b",\"line\":", f.line as u64, out);
    field_number(b",\"start\":", f.start as u64, out);
    field_number(b",\"end\":", f.end as u64, out);
    out.extend_from_slice(b",\"quote\":");
    string(&f.quote, out);
    if !f.sentence.is_empty() {
        out.extend_from_slice(b",\"sentence\":");
        string(&f.sentence, out);
    }
    out.extend_from_slice(b",\"category\":");
    string(&f.category, out);
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(kind_name(f.kind).as_bytes());
    out.extend_from_slice(b"\",\"days\":");
    match f.days {
        Some(d) => number(d.into(), out),
        None => out.extend_from_slice(b"null"),
    }
    field_number(b",\"value\":", f.value, out);
    out.extend_from_slice(b",\"qualifier\":\"");
    out.extend_from_slice(qualifier_name(f.qualifier).as_bytes());
    out.extend_from_slice(b"\",\"side\":");
    optional_string(f.side.as_deref(), out);
    out.extend_from_slice(b",\"claimant\":");
    optional_string(f.claimant.as_deref(), out);
    if let Some(lang) = &f.lang {
        out.extend_from_slice(b",\"lang\":");
        string(lang, out);
    }
    out.extend_from_slice(b",\"date\":");
    match f.date {
        // chrono serialises a date as its Debug text ("2023-02-24", "+12345-01-01").
        Some(d) => string(&format!("{d:?}"), out),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"date_basis\":");
    string(&f.date_basis, out);
    out.push(b'}');
}

/// The names serde gives the kinds (`rename_all = "lowercase"`).
fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Total => "total",
        Kind::Delta => "delta",
        Kind::Period => "period",
    }
}

/// The names serde gives the qualifiers (`rename_all = "snake_case"`).
fn qualifier_name(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "exact",
        Qualifier::About => "about",
        Qualifier::MoreThan => "more_than",
        Qualifier::LessThan => "less_than",
        Qualifier::Almost => "almost",
    }
}

fn field_number(name: &[u8], n: u64, out: &mut Vec<u8>) {
    out.extend_from_slice(name);
    number(n, out);
}

fn number(n: u64, out: &mut Vec<u8>) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn optional_string(s: Option<&str>, out: &mut Vec<u8>) {
    match s {
        Some(s) => string(s, out),
        None => out.extend_from_slice(b"null"),
    }
}

/// Whether any of the eight bytes of `x` needs an escape: a control character (below 0x20),
/// '"' or '\'. (The classic SWAR tests for a byte below n and a zero byte: exact for "any".)
#[inline]
fn needs_escape(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |y: u64| y.wrapping_sub(ONES) & !y & HIGH != 0;
    x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0
        || zero_in(x ^ (ONES * b'"' as u64))
        || zero_in(x ^ (ONES * b'\\' as u64))
}

/// `s` as a JSON string, escaped as serde_json escapes it: '"', '\', the short escapes of
/// backspace, form feed, line feed, carriage return and tab, `\u00xx` for the other control
/// characters, everything else (DEL and non-ASCII included) as it is.
fn string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let (mut plain_from, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if !needs_escape(x) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..0x20 => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 15) as usize],
            ],
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[plain_from..i]);
        out.extend_from_slice(escape);
        i += 1;
        plain_from = i;
    }
    out.extend_from_slice(&bytes[plain_from..]);
    out.push(b'"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    fn line(f: &Figure) -> String {
        let mut out = Vec::new();
        write(f, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_figure_line_is_the_bytes_serde_json_writes() {
        let strange = "a \"quoted\" back\\slash\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f} ünï “code” 🙂 end";
        let mut f = Figure::sample("tanks", Kind::Delta, 12, "2023-02-24");
        let mut cases = vec![f.clone()];
        f.hash = Some("0123456789abcdef0123456789abcdef".into());
        f.sentence = String::new();
        f.side = None;
        f.claimant = None;
        f.lang = None;
        f.date = None;
        f.days = None;
        cases.push(f.clone());
        for (k, q) in [
            (Kind::Total, Qualifier::About),
            (Kind::Period, Qualifier::MoreThan),
            (Kind::Delta, Qualifier::LessThan),
            (Kind::Total, Qualifier::Almost),
        ] {
            f.kind = k;
            f.qualifier = q;
            f.value = u64::MAX;
            f.line = usize::MAX;
            f.date = chrono::NaiveDate::from_ymd_opt(12345, 1, 1);
            cases.push(f.clone());
        }
        for n in 0..strange.len() {
            if let Some(cut) = strange.get(n..) {
                f.quote = cut.to_owned();
                f.sentence = strange[..strange.len() - cut.len()].to_owned();
                f.file = format!("{cut}/x.txt");
                f.date_basis = cut.repeat(3);
                cases.push(f.clone());
            }
        }
        for f in &cases {
            assert_eq!(line(f), serde_json::to_string(f).unwrap());
        }
    }

    #[test]
    fn every_byte_is_escaped_as_serde_json_escapes_it() {
        for b in 0..0x80u8 {
            let s = format!("{}{}x", "ab".repeat(b as usize % 9), b as char);
            let mut out = Vec::new();
            string(&s, &mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&s).unwrap()
            );
        }
    }
}
