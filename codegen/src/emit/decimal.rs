//! Decimal literals of CHECK bounds (`"0"`, `"-1"`, `"0.5"`), compared and turned into Rust
//! constants without going through floating point.

use std::cmp::Ordering;

/// A parsed decimal literal, canonical: no leading zeros in `int`, no trailing zeros in `frac`,
/// zero is never negative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dec {
    negative: bool,
    int: String,
    frac: String,
}

impl Dec {
    /// `[+-]digits[.digits]`; anything else (exponents, `Infinity`) is `None`.
    pub fn parse(s: &str) -> Option<Dec> {
        let s = s.trim();
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return None;
        }
        let int = int.trim_start_matches('0').to_owned();
        let frac = frac.trim_end_matches('0').to_owned();
        let negative = negative && !(int.is_empty() && frac.is_empty());
        Some(Dec {
            negative,
            int,
            frac,
        })
    }

    pub fn is_integer(&self) -> bool {
        self.frac.is_empty()
    }

    /// Digits after the point.
    pub fn scale(&self) -> u32 {
        self.frac.len() as u32
    }

    /// The value as an integer when it has no fraction and fits.
    pub fn to_i128(&self) -> Option<i128> {
        if !self.is_integer() {
            return None;
        }
        let magnitude: i128 = if self.int.is_empty() {
            0
        } else {
            self.int.parse().ok()?
        };
        Some(if self.negative { -magnitude } else { magnitude })
    }

    /// Sign, 96-bit mantissa and scale, as `rust_decimal::Decimal::from_parts` takes them;
    /// `None` when the literal does not fit a `Decimal` (more than 28 fractional digits or a
    /// mantissa over 96 bits).
    pub fn decimal_parts(&self) -> Option<(bool, u128, u32)> {
        let scale = self.scale();
        if scale > 28 {
            return None;
        }
        let digits = format!("{}{}", self.int, self.frac);
        let mantissa: u128 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        (mantissa < (1u128 << 96)).then_some((self.negative, mantissa, scale))
    }
}

impl std::fmt::Display for Dec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str(if self.int.is_empty() { "0" } else { &self.int })?;
        if !self.frac.is_empty() {
            write!(f, ".{}", self.frac)?;
        }
        Ok(())
    }
}

impl Ord for Dec {
    fn cmp(&self, other: &Self) -> Ordering {
        let magnitude = self
            .int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac));
        match (self.negative, other.negative) {
            (false, false) => magnitude,
            (true, true) => magnitude.reverse(),
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
        }
    }
}

impl PartialOrd for Dec {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec {
        Dec::parse(s).unwrap()
    }

    #[test]
    fn parses_and_prints_canonically() {
        assert_eq!(d("007.500").to_string(), "7.5");
        assert_eq!(d("-0.0").to_string(), "0");
        assert_eq!(d(".5").to_string(), "0.5");
        assert_eq!(d("-12").to_i128(), Some(-12));
        assert!(Dec::parse("1e3").is_none());
        assert!(Dec::parse("-").is_none());
    }

    #[test]
    fn compares_by_value() {
        assert!(d("10") > d("9.99"));
        assert!(d("-1") < d("0"));
        assert!(d("-2") < d("-1.5"));
        assert!(d("0.25") < d("0.3"));
        assert_eq!(d("1.0").cmp(&d("1")), Ordering::Equal);
    }

    #[test]
    fn decimal_parts() {
        assert_eq!(d("-1.25").decimal_parts(), Some((true, 125, 2)));
        assert_eq!(d("0").decimal_parts(), Some((false, 0, 0)));
    }
}
