//! Helvetica with `WinAnsiEncoding`: the byte encoding of text and the glyph widths needed to
//! centre and fit lines. Helvetica is one of the 14 standard PDF fonts, so nothing is embedded;
//! WinAnsi (Windows-1252) covers every French letter (é, è, à, ç, ô, œ, ...).
//!
//! The widths are the standard Helvetica metrics (identical in every metric-compatible clone),
//! in thousandths of the font size, for the codes 32 to 255.

/// Which Helvetica face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    /// The standard base font name.
    pub fn base_font(self) -> &'static [u8] {
        match self {
            Face::Regular => b"Helvetica",
            Face::Bold => b"Helvetica-Bold",
        }
    }

    fn widths(self) -> &'static [u16; 224] {
        match self {
            Face::Regular => &REGULAR,
            Face::Bold => &BOLD,
        }
    }

    /// Width of WinAnsi-encoded `text` at `size` points.
    pub fn width(self, text: &[u8], size: f32) -> f32 {
        let units: u32 = text
            .iter()
            .map(|&b| {
                b.checked_sub(32)
                    .and_then(|i| self.widths().get(usize::from(i)))
                    .copied()
                    .map_or(0, u32::from)
            })
            .sum();
        // Lines are at most a few hundred characters: the sum is exact in f32.
        units as f32 * size / 1000.0
    }
}

/// Encodes `text` to WinAnsi bytes: Latin-1 and the Windows-1252 extras map to their code,
/// combining accents are dropped (their base letter stays), control characters become spaces
/// and anything else becomes `?`.
pub fn encode(text: &str) -> Vec<u8> {
    text.chars().filter_map(encode_char).collect()
}

fn encode_char(c: char) -> Option<u8> {
    let code = u32::from(c);
    if ('\u{300}'..='\u{36f}').contains(&c) {
        return None;
    }
    if c.is_control() {
        return Some(b' ');
    }
    if (0x20..0x7f).contains(&code) || (0xa0..=0xff).contains(&code) {
        return u8::try_from(code).ok();
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        // Narrow and thin no-break spaces (French punctuation) print as a no-break space.
        '\u{202f}' | '\u{2009}' => 0xa0,
        _ => b'?',
    })
}

/// Helvetica widths, codes 32-255 (0 for the five codes WinAnsi leaves undefined).
const REGULAR: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    0, 556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 222, 222,
    333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556,
    260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 556, 537, 278, 333,
    333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667,
    278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
    611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Helvetica-Bold widths, codes 32-255.
const BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    0, 556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 278, 278,
    500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556,
    280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 611, 556, 278, 333,
    333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667,
    278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
    611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611,
    611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

/// Splits `text` (WinAnsi bytes) into lines no wider than `max_width` at `size`, breaking between
/// words, and inside a word only when the word alone is too wide.
pub fn wrap(face: Face, text: &[u8], size: f32, max_width: f32) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in text.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        let mut candidate = line.clone();
        if !candidate.is_empty() {
            candidate.push(b' ');
        }
        candidate.extend_from_slice(word);
        if face.width(&candidate, size) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for &byte in word {
            line.push(byte);
            if face.width(&line, size) > max_width && line.len() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, vec![byte]));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_letters_and_typographic_marks_map_to_windows_1252() {
        assert_eq!(
            encode("éèàçôœ’€"),
            vec![0xe9, 0xe8, 0xe0, 0xe7, 0xf4, 0x9c, 0x92, 0x80]
        );
        assert_eq!(encode("e\u{301}t\u{e9}"), b"et\xe9".to_vec());
        assert_eq!(encode("日本"), b"??".to_vec());
        assert_eq!(encode("a\tb"), b"a b".to_vec());
    }

    #[test]
    fn widths_follow_the_helvetica_metrics() {
        assert!((Face::Regular.width(b"A", 10.0) - 6.67).abs() < 1e-4);
        assert!((Face::Bold.width(b"a", 1000.0) - 556.0).abs() < 1e-3);
        assert!(Face::Bold.width(b"Certificat", 12.0) > Face::Regular.width(b"Certificat", 12.0));
    }
}
