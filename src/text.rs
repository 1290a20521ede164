//! Text from input made safe to print, and the names fit to write into files: a leaf every
//! step uses (the catalog and plan files check names with it, render escapes with it).

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
        if is_unsafe(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that change how a terminal shows the text around them: controls (other than a
/// newline) and the invisible format characters that reorder or hide text (bidirectional
/// overrides such as U+202E, zero-width spaces and joiners, the byte-order mark).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n') || is_invisible_or_break(c)
}

/// Invisible formatting characters, bidirectional overrides, Unicode line and paragraph
/// separators (line breaks to YAML and JavaScript) and noncharacters: nothing a name should hold.
/// The invisible ones are Unicode's default-ignorable code points (DerivedCoreProperties:
/// soft hyphen, fillers, variation selectors, tag characters, ...): text that shows as nothing.
pub fn is_invisible_or_break(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}'
        | '\u{17B4}'..='\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{2028}' | '\u{2029}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}'
        | '\u{FDD0}'..='\u{FDEF}')
        || (u32::from(c) & 0xFFFE) == 0xFFFE
}

/// Whether a name from a plan is fit for the files `emit` writes: not blank, and no control,
/// invisible, line-separator or noncharacter code points.
pub fn is_printable_name(name: &str) -> bool {
    !name.trim().is_empty()
        && !name
            .chars()
            .any(|c| c.is_control() || is_invisible_or_break(c))
}

/// A whole rendered table or error line made safe to print: control characters other than
/// newlines escaped (nothing is cut).
pub fn escape_controls(text: String) -> String {
    if text.chars().any(is_unsafe) {
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
        assert_eq!(clean("a\u{202e}b\u{200b}", 100), "a\\u{202e}b\\u{200b}");
    }

    #[test]
    fn default_ignorable_characters_are_invisible() {
        // Soft hyphen, Hangul filler, Mongolian vowel separator, a tag character: each shows
        // as nothing, so a name may not hold it and output escapes it.
        for c in [
            '\u{AD}',
            '\u{3164}',
            '\u{180E}',
            '\u{E0041}',
            '\u{FE0F}',
            '\u{115F}',
        ] {
            assert!(is_invisible_or_break(c), "{:?}", c);
            assert!(!is_printable_name(&format!("a{c}b")), "{:?}", c);
        }
        assert_eq!(clean("a\u{ad}b", 100), "a\\u{ad}b");
        for c in ['a', 'é', '—', '€', '日'] {
            assert!(!is_invisible_or_break(c), "{c}");
        }
    }
}
