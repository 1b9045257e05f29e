"""What the input generators of the policies from practice share: CSV quoting, money text and
writing the rows (a row is a list of cells, or a tuple (kind, raw line) for a deliberately broken
line). Standard library only."""

import sys

from credo_csv import csv_field  # the same quoting the oracles write


def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return "%s%d.%02d" % (sign, cents // 100, cents % 100)


def line_of(row):
    if isinstance(row, tuple):
        return row[1]
    return ",".join(csv_field(v) for v in row)


def write_input(columns, chunks, out=sys.stdout):
    """The header, then every row of every chunk (a chunk: rows kept together), in order."""
    out.write(",".join(columns) + "\n")
    for chunk in chunks:
        for row in chunk:
            out.write(line_of(row) + "\n")
