//! Rendering: finished reports in, bytes out. Tables for people, JSON for scripts.

pub mod json;
pub mod plot;
pub mod table;

/// Text from input made safe to print: control characters (terminal escape sequences, a
/// stray carriage return) shown as `\u{1b}`-style escapes, and cut to `max_chars` characters
/// with `…`. Newlines are kept only where the caller's text is multi-line output, so callers
/// that need one line replace them first.
pub fn clean(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars.saturating_mul(4)));
    for (count, c) in text.chars().enumerate() {
        if count >= max_chars {
            out.push('…');
            break;
        }
        if c.is_control() && c != '\n' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// A whole rendered table or error line made safe to print: control characters other than
/// newlines escaped (nothing is cut).
pub fn escape_controls(text: String) -> String {
    if text.chars().any(|c| c.is_control() && c != '\n') {
        clean(&text, usize::MAX)
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_cuts() {
        assert_eq!(clean("a\u{1b}[31mb", 100), "a\\u{1b}[31mb");
        assert_eq!(clean("abcdef", 3), "abc…");
        assert_eq!(clean("line\nnext", 100), "line\nnext");
        assert_eq!(escape_controls("ok\n".into()), "ok\n");
        assert_eq!(escape_controls("\u{7}".into()), "\\u{7}");
    }
}
