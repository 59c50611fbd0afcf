#!/usr/bin/env python3
"""Writes the Teilnehmendenliste of the Rust benchmark with openpyxl, for comparison.

Usage: openpyxl_participants.py ROWS.csv OUT.xlsx [REPEATS]

ROWS.csv is the participant list exported by Tagungsbüro as CSV (semicolon, UTF-8 with BOM).
Reading and parsing it happens before the clock starts; timed is only what the Rust exporter
does after loading its rows: building the workbook with the same rows and formats (Nr. as
number, "Angemeldet am" as a real date shown DD.MM.YYYY, an Excel table "Teilnehmende" with
style Medium 2, banded rows and autofilter, frozen header row, column widths fitted to the
content, A4 landscape fit to one page width with the header row repeated and a page footer)
and saving it. Prints "median_seconds=<float>".

Runs only where python3 has openpyxl (python3 -m pip install openpyxl).
"""

import csv
import datetime
import statistics
import sys
import time

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

MAX_WIDTH = 50.0


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        headers = next(reader)
        rows = []
        for record in reader:
            row = []
            for header, value in zip(headers, record):
                if value == "":
                    row.append(None)
                elif header == "Nr.":
                    row.append(int(value))
                elif header == "Angemeldet am":
                    row.append(datetime.datetime.strptime(value, "%d.%m.%Y"))
                else:
                    row.append(value)
            rows.append(row)
    return headers, rows


def column_widths(headers, rows):
    widths = [len(h) + 3 for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            if value is None:
                continue
            length = 10 if isinstance(value, datetime.datetime) else len(str(value))
            widths[i] = max(widths[i], length)
    return [min(w + 1.5, MAX_WIDTH) for w in widths]


def write(headers, rows, out):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Teilnehmende"
    sheet.append(headers)
    date_col = headers.index("Angemeldet am") + 1 if "Angemeldet am" in headers else None
    for row in rows:
        sheet.append(row)
    if date_col is not None:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=date_col, max_col=date_col):
            cell.number_format = "DD.MM.YYYY"
    last = get_column_letter(len(headers))
    table = Table(displayName="Teilnehmende", ref=f"A1:{last}{max(len(rows), 1) + 1}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    sheet.freeze_panes = "A2"
    for i, width in enumerate(column_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.oddFooter.right.text = "Seite &P von &N"
    workbook.save(out)


def main():
    source, out = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    headers, rows = read_rows(source)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        write(headers, rows, out)
        times.append(time.perf_counter() - start)
    print(f"rows={len(rows)} columns={len(headers)}")
    print(f"median_seconds={statistics.median(times):.4f}")


if __name__ == "__main__":
    main()
