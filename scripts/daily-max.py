#!/usr/bin/env python3
"""Derives data/daily_max.json: for each category, the most a single day can plausibly add.

From the official daily series (official-daily.csv, beside the project in ../shared/reference/
or given as the first argument): the largest change between two consecutive days, times 5,
at least 10, rounded up to the next 1, 2, 5 x 10^k. The margin is generous on purpose: the
table only catches misreadings (a cumulative total read as a day's change, a digit too many),
never a heavy but real day.

Usage: python3 scripts/daily-max.py [official-daily.csv] > data/daily_max.json
"""
import csv
import json
import sys
from datetime import date

FACTOR = 5
FLOOR = 10


def round_up(n):
    """The smallest 1, 2 or 5 times a power of ten that is at least n."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= n:
                return step * scale
        scale *= 10


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/official-daily.csv"
    rows = list(csv.DictReader(open(path, newline="")))
    categories = [c for c in rows[0] if c not in ("date", "day")]
    largest = {c: (0, None) for c in categories}
    for before, after in zip(rows, rows[1:]):
        if (date.fromisoformat(after["date"]) - date.fromisoformat(before["date"])).days != 1:
            continue
        for c in categories:
            if before[c] and after[c]:
                change = int(float(after[c])) - int(float(before[c]))
                if change > largest[c][0]:
                    largest[c] = (change, after["date"])
    table = {
        "_comment": "The most one day can plausibly add to each category's count: the largest "
        "change between two consecutive days of the official daily series, times %d, at least "
        "%d, rounded up to 1, 2 or 5 x 10^k. Made by scripts/daily-max.py from the series of %s "
        "to %s; 'largest' is the change it saw and its date." % (FACTOR, FLOOR, rows[0]["date"], rows[-1]["date"]),
        "max": {c: round_up(max(FLOOR, FACTOR * largest[c][0])) for c in categories},
        "largest": {c: {"change": largest[c][0], "on": largest[c][1]} for c in categories},
    }
    json.dump(table, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
