//! Simulation time: days since the scenario's start date, and calendar dates.

use std::fmt;

/// A point in simulated time, in days since the scenario's start date.
///
/// Fractional days are allowed (random events fall at any instant); output
/// files report whole days with [`Day::whole_days`].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Day(pub f64);

impl Day {
    /// The scenario's start.
    pub const ZERO: Day = Day(0.0);

    /// Days since the start, as a float.
    pub fn get(self) -> f64 {
        self.0
    }

    /// Whole days elapsed since the start (the floor), as written to CSV.
    pub fn whole_days(self) -> u32 {
        if self.0 <= 0.0 {
            0
        } else {
            self.0.floor() as u32
        }
    }

    /// This instant moved `days` later.
    pub fn after(self, days: f64) -> Day {
        Day(self.0 + days)
    }

    /// Total order on days (NaN never occurs: validation rejects it).
    pub fn total_cmp(&self, other: &Day) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "day {}", self.0)
    }
}

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2022.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31.
    pub day: u8,
}

impl Date {
    /// Builds a date, checking that the month and day exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let y = parts.next()?;
        let m = parts.next()?;
        let d = parts.next()?;
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days since 1970-01-01 (negative before).
    ///
    /// The algorithm is Howard Hinnant's `days_from_civil`
    /// (<http://howardhinnant.github.io/date_algorithms.html>).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
        let start = Date::parse("2021-12-17").unwrap();
        let geneva = Date::parse("2022-01-10").unwrap();
        assert_eq!(start.days_until(geneva), 24);
        for d in [-1000, 0, 11_017, 19_000, 19_032] {
            assert_eq!(Date::from_days_since_epoch(d).days_since_epoch(), d);
        }
        assert_eq!(
            Date::from_days_since_epoch(geneva.days_since_epoch()),
            geneva
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::parse("2022-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2022-13-01").is_none());
        assert!(Date::parse("22-01-01").is_none());
        assert!(Date::parse("2022-1-1").is_none());
    }

    #[test]
    fn whole_days_floor() {
        assert_eq!(Day(3.99).whole_days(), 3);
        assert_eq!(Day(-1.0).whole_days(), 0);
    }
}
