//! Owns input normalization: turning what people type or feeds contain into canonical ASCII forms.
//!
//! Japanese users routinely type card numbers with an IME left in full-width mode, so every
//! number-like parser runs its input through [`normalize_code`] before validating it.

/// Normalizes a number-like field (card numbers, codes, months).
///
/// - trims surrounding whitespace, including the ideographic space U+3000;
/// - maps the whole full-width ASCII block (U+FF01..=U+FF5E: `０`-`９`, `Ａ`-`Ｚ`, `ａ`-`ｚ`,
///   `：`, `－`, `／`, `＋` …) to ASCII;
/// - maps hyphen-like dashes (U+2010..=U+2015, U+2212, U+FE63, U+FF0D) to `-`;
/// - maps the long-vowel marks `ー` (U+30FC) and `ｰ` (U+FF70) to `-` only when both neighbours
///   are ASCII letters or digits, because after kana they are part of a word (`ユーザー`);
/// - turns inner whitespace into a single ASCII space per character but does NOT remove it:
///   only [`normalize_code_compact`] removes inner spaces.
pub fn normalize_code(input: &str) -> String {
    let mapped: Vec<char> = input.trim().chars().map(map_char).collect();
    let mut out = String::with_capacity(mapped.len());
    for (i, &c) in mapped.iter().enumerate() {
        let is_long_vowel = c == '\u{30FC}' || c == '\u{FF70}';
        let between_ascii = i > 0
            && mapped.get(i - 1).is_some_and(char::is_ascii_alphanumeric)
            && mapped.get(i + 1).is_some_and(char::is_ascii_alphanumeric);
        out.push(if is_long_vowel && between_ascii {
            '-'
        } else {
            c
        });
    }
    out
}

/// [`normalize_code`] plus removal of all inner whitespace.
///
/// Used only for digit-only codes (insurer, institution, public payer, recipient, branch,
/// receipt drug codes), where cards and letters group digits with spaces that carry no meaning.
/// Symbols that may contain kana keep their spaces so that validation can reject them.
pub fn normalize_code_compact(input: &str) -> String {
    normalize_code(input)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Normalizes free text (names, office names): trims, turns U+3000 and other whitespace runs
/// into a single ASCII space, and leaves kana and kanji untouched.
pub fn normalize_text(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn map_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => '-',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_code_cases() {
        let cases = [
            ("", ""),
            ("   ", ""),
            ("\u{3000}０６１３００１２\u{3000}", "06130012"),
            (" 0601 3502 ", "0601 3502"),
            ("ＡＢＣ－１２３", "ABC-123"),
            ("ａｂｃ", "abc"),
            ("１２：３４", "12:34"),
            ("12\u{2010}34", "12-34"),
            ("12\u{2015}34", "12-34"),
            ("12\u{2212}34", "12-34"),
            ("12\u{FE63}34", "12-34"),
            ("12ー34", "12-34"),
            ("Aｰ1", "A-1"),
            ("１２ー３４", "12-34"),
            ("ユーザー", "ユーザー"),
            ("アー1", "アー1"),
            ("1ーア", "1ーア"),
            ("ー12", "ー12"),
            ("12ー", "12ー"),
            ("あいう", "あいう"),
            ("２０２４／０５", "2024/05"),
            ("＋＋", "++"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_code(input), want, "input {input:?}");
        }
    }

    #[test]
    fn normalize_code_compact_cases() {
        let cases = [
            (" 0601 3502 ", "06013502"),
            ("０６０１\u{3000}３５０２", "06013502"),
            ("13 1 01 2345 5", "1310123455"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_code_compact(input), want, "input {input:?}");
        }
    }

    #[test]
    fn normalize_text_cases() {
        let cases = [
            ("", ""),
            ("\u{3000}", ""),
            ("山田\u{3000}太郎", "山田 太郎"),
            ("  山田 \u{3000}  太郎  ", "山田 太郎"),
            ("新宿区\t福祉事務所\n", "新宿区 福祉事務所"),
            ("ヤマダ タロウ", "ヤマダ タロウ"),
            ("ＡＢＣ", "ＡＢＣ"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_text(input), want, "input {input:?}");
        }
    }
}
