//! Which backups to keep: the newest of each of the last 7 days, 5 weeks and 12 months that have
//! a backup (Berlin calendar), like restic's `--keep-daily 7 --keep-weekly 5 --keep-monthly 12`.
//! Pure, so it is tested without files.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Utc};

use crate::time::in_berlin;

/// Newest daily backups kept.
pub const KEEP_DAILY: usize = 7;
/// Newest weekly backups kept.
pub const KEEP_WEEKLY: usize = 5;
/// Newest monthly backups kept.
pub const KEEP_MONTHLY: usize = 12;

/// The calendar period (year, day/week/month number) a backup's time falls into.
type PeriodOf = fn(&DateTime<Utc>) -> (i32, u32);

/// The indices of `times` to delete. The newest backup is always kept.
pub fn to_delete(times: &[DateTime<Utc>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by(|&a, &b| times[b].cmp(&times[a]));
    let mut keep: HashSet<usize> = order.first().copied().into_iter().collect();
    let buckets: [(usize, PeriodOf); 3] = [
        (KEEP_DAILY, |t| {
            let day = in_berlin(*t).date_naive();
            (day.year(), day.ordinal())
        }),
        (KEEP_WEEKLY, |t| {
            let week = in_berlin(*t).date_naive().iso_week();
            (week.year(), week.week())
        }),
        (KEEP_MONTHLY, |t| {
            let day = in_berlin(*t).date_naive();
            (day.year(), day.month())
        }),
    ];
    for (count, bucket) in buckets {
        let mut seen = HashSet::new();
        for &i in &order {
            if seen.len() == count {
                break;
            }
            if seen.insert(bucket(&times[i])) {
                keep.insert(i);
            }
        }
    }
    let mut delete: Vec<usize> = (0..times.len()).filter(|i| !keep.contains(i)).collect();
    delete.sort_unstable();
    delete
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn one_backup_a_day_for_two_years_keeps_7_daily_5_weekly_12_monthly() {
        let newest = at(2026, 11, 29, 9);
        let times: Vec<_> = (0..730).map(|d| newest - Duration::days(d)).collect();
        let delete = to_delete(&times);
        let kept: Vec<_> = (0..times.len())
            .filter(|i| !delete.contains(i))
            .map(|i| times[i])
            .collect();
        // 7 days, then Sundays of the 5 newest weeks (2 already among the days), then month
        // ends of the 12 newest months (the current month's newest is already kept).
        assert!(kept.contains(&newest));
        for d in 0..7 {
            assert!(kept.contains(&(newest - Duration::days(d))), "day {d}");
        }
        // 22 November is the newest of the week before; 21 November is nothing special.
        assert!(kept.contains(&(newest - Duration::days(7))));
        assert!(!kept.contains(&(newest - Duration::days(8))));
        let months: HashSet<_> = kept.iter().map(|t| (t.year(), t.month())).collect();
        assert_eq!(months.len(), 12, "{kept:?}");
        assert!(kept.iter().all(|t| *t > newest - Duration::days(366)));
        assert!(
            kept.len() <= 7 + 5 + 12 && kept.len() >= 12 + 5,
            "{}",
            kept.len()
        );
    }

    #[test]
    fn several_backups_a_day_keep_the_newest_of_the_day() {
        let times = [
            at(2026, 11, 29, 7),
            at(2026, 11, 29, 15),
            at(2026, 11, 28, 9),
            at(2026, 11, 29, 11),
        ];
        assert_eq!(to_delete(&times), [0, 3]);
    }

    #[test]
    fn days_follow_the_berlin_calendar() {
        // 23:30 UTC on 28 November is already 29 November in Berlin.
        let late = Utc.with_ymd_and_hms(2026, 11, 28, 23, 30, 0).unwrap();
        let morning = at(2026, 11, 29, 8);
        assert_eq!(to_delete(&[late, morning]), [0]);
    }

    #[test]
    fn nothing_and_one_are_kept_as_they_are() {
        assert!(to_delete(&[]).is_empty());
        assert!(to_delete(&[at(2020, 1, 1, 0)]).is_empty());
    }
}
