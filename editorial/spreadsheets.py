"""CSV files that are safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some spreadsheets skip before reading one of those) is read as a formula:
text an editor or a reader typed could then run in the downloader's spreadsheet.
Such text cells get a leading apostrophe, which spreadsheets read as "this is text".
Plain numbers, negative ones included, are harmless and stay numbers.
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def spreadsheet_safe(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def write_csv(file, rows):
    """Write ``rows`` (iterables of cells) to ``file`` as CSV, every text cell made safe to open."""
    writer = csv.writer(file)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
