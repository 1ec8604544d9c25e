//! Dates, money and numbers written the way each language writes them.

use crate::domain::cost::group_thousands;
use crate::i18n::Locale;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// The language a request asked for; anything but English is Japanese, the default.
pub fn locale_of(tag: &str) -> Locale {
    match tag {
        "en" => Locale::en,
        _ => Locale::ja,
    }
}

/// The tag [`locale_of`] reads back.
pub fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::ja => "ja",
        Locale::en => "en",
    }
}

/// The Japanese or the English of a label the domain names in both languages.
pub fn pick(locale: Locale, ja: &str, en: &str) -> String {
    match locale {
        Locale::ja => ja.to_owned(),
        Locale::en => en.to_owned(),
    }
}

/// `2024年5月12日` in Japanese, `12 May 2024` in English.
pub fn date(locale: Locale, d: NaiveDate) -> String {
    match locale {
        Locale::ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Locale::en => d.format("%-d %b %Y").to_string(),
    }
}

/// A date with its Japanese era, for dates people also read on official papers (insurance
/// validity, checkups): `令和6年（2024年）5月12日`; in English the same as [`date`].
pub fn date_era(locale: Locale, d: NaiveDate) -> String {
    match (locale, era(d)) {
        (Locale::ja, Some((name, year))) => {
            let year = if year == 1 {
                "元".to_owned()
            } else {
                year.to_string()
            };
            format!(
                "{name}{year}年（{}年）{}月{}日",
                d.year(),
                d.month(),
                d.day()
            )
        }
        _ => date(locale, d),
    }
}

/// The era and the year within it; `None` before Shōwa, which no record here reaches.
fn era(d: NaiveDate) -> Option<(&'static str, i32)> {
    const ERAS: [(&str, (i32, u32, u32)); 3] = [
        ("令和", (2019, 5, 1)),
        ("平成", (1989, 1, 8)),
        ("昭和", (1926, 12, 25)),
    ];
    ERAS.into_iter().find_map(|(name, (y, m, day))| {
        let start = NaiveDate::from_ymd_opt(y, m, day)?;
        (d >= start).then(|| (name, d.year() - y + 1))
    })
}

/// `2025年度` / `FY2025`: a checkup fiscal year (April to March).
pub fn fiscal_year(locale: Locale, fy: i32) -> String {
    match locale {
        Locale::ja => format!("{fy}年度"),
        Locale::en => format!("FY{fy}"),
    }
}

/// A measured number without a trailing `.0`: `28`, `0.5`.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// A loading time in Japan time, to the minute.
pub fn timestamp(locale: Locale, t: DateTime<Utc>) -> String {
    let jst = t.with_timezone(&crate::domain::clock::japan_offset());
    match locale {
        Locale::ja => jst.format("%Y年%-m月%-d日 %H:%M").to_string(),
        Locale::en => jst.format("%-d %b %Y %H:%M JST").to_string(),
    }
}

/// `2024-05` as `2024年5月` or `May 2024`.
pub fn month(locale: Locale, ym: &str) -> String {
    let parsed = NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d").ok();
    match (locale, parsed) {
        (Locale::ja, Some(d)) => format!("{}年{}月", d.year(), d.month()),
        (Locale::en, Some(d)) => d.format("%b %Y").to_string(),
        (_, None) => ym.to_owned(),
    }
}

/// `1,234円` in Japanese, `¥1,234` in English.
pub fn yen(locale: Locale, amount: i64) -> String {
    let digits = group_thousands(amount.unsigned_abs().try_into().unwrap_or(i64::MAX));
    let sign = if amount < 0 { "-" } else { "" };
    match locale {
        Locale::ja => format!("{sign}{digits}円"),
        Locale::en => format!("{sign}¥{digits}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eras_change_on_their_first_day() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        let cases = [
            (d(2019, 4, 30), "平成31年（2019年）4月30日"),
            (d(2019, 5, 1), "令和元年（2019年）5月1日"),
            (d(2024, 5, 12), "令和6年（2024年）5月12日"),
            (d(1989, 1, 7), "昭和64年（1989年）1月7日"),
            (d(1989, 1, 8), "平成元年（1989年）1月8日"),
            (d(1948, 3, 3), "昭和23年（1948年）3月3日"),
        ];
        for (day, want) in cases {
            assert_eq!(date_era(Locale::ja, day), want);
        }
        assert_eq!(date_era(Locale::en, d(2024, 5, 12)), "12 May 2024");
        assert_eq!(date_era(Locale::ja, d(1920, 1, 1)), "1920年1月1日");
    }

    #[test]
    fn formats_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2024, 5, 2);
        let Some(d) = d else { panic!("valid date") };
        assert_eq!(date(Locale::ja, d), "2024年5月2日");
        assert_eq!(date(Locale::en, d), "2 May 2024");
        assert_eq!(month(Locale::ja, "2024-05"), "2024年5月");
        assert_eq!(month(Locale::en, "2024-05"), "May 2024");
        let cases = [
            (0, "0円", "¥0"),
            (999, "999円", "¥999"),
            (1000, "1,000円", "¥1,000"),
            (1234567, "1,234,567円", "¥1,234,567"),
            (-5000, "-5,000円", "-¥5,000"),
        ];
        for (n, ja, en) in cases {
            assert_eq!(yen(Locale::ja, n), ja);
            assert_eq!(yen(Locale::en, n), en);
        }
    }
}
