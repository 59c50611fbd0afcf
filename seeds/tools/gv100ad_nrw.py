#!/usr/bin/env python3
"""Derives seeds/kommunen_nrw.csv and seeds/kreise_nrw.csv from Destatis' Gemeindeverzeichnis.

Input: the fixed-width GV100AD file of GV-ISys (UTF-8), e.g. GV100AD_301121.ASC.
Usage: python3 seeds/tools/gv100ad_nrw.py GV100AD_301121.ASC seeds/
Records used (Datensatzbeschreibung GV100AD): Satzart 20 (Regierungsbezirk), 40 (Kreis or
kreisfreie Stadt, Textkennzeichen 41 kreisfreie Stadt / 43 Kreis) and 60 (Gemeinde,
Textkennzeichen 61 kreisfreie Stadt / 63 Stadt / 64 kreisangehörige Gemeinde) of Land 05.
"""
import csv
import sys
from pathlib import Path

KINDS = {"61": "kreisfreie Stadt", "63": "Stadt", "64": "Gemeinde"}


def split_name(official):
    # "Hürth, Stadt" -> ("Hürth", "Stadt"); "Hagen, Stadt der FernUniversität" likewise.
    name, _, designation = official.partition(", ")
    return name, designation


def main(source, out_dir):
    lines = [l.rstrip("\r\n") for l in open(source, encoding="utf-8")]
    nrw = [l for l in lines if l[10:12] == "05"]
    stand = {l[2:10] for l in nrw}
    assert len(stand) == 1, stand
    stand = stand.pop()
    stand = f"{stand[:4]}-{stand[4:6]}-{stand[6:8]}"
    bezirke = {l[12]: l[22:72].strip().removeprefix("Reg.-Bez. ") for l in nrw if l[:2] == "20"}
    kreise = {}
    for l in nrw:
        if l[:2] == "40" and l[122:124] == "43":
            key = l[10:15]
            kreise[key] = (l[22:72].strip(), l[72:122].strip(), bezirke[l[12]])
    gemeinden = []
    for l in nrw:
        if l[:2] != "60":
            continue
        ags = l[10:12] + l[12] + l[13:15] + l[19:22]
        name, designation = split_name(" ".join(l[22:72].split()))
        kind = KINDS[l[122:124]]
        kreis = "" if kind == "kreisfreie Stadt" else l[10:15]
        gemeinden.append((ags, name, designation, kind, kreis, bezirke[l[12]]))
    out = Path(out_dir)
    with open(out / "kommunen_nrw.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ags", "name", "bezeichnung", "art", "kreis", "regierungsbezirk"])
        w.writerows(sorted(gemeinden))
    with open(out / "kreise_nrw.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["schluessel", "name", "sitz", "regierungsbezirk"])
        for key in sorted(kreise):
            w.writerow([key, *kreise[key]])
    print(f"Gebietsstand {stand}: {len(gemeinden)} Kommunen, {len(kreise)} Kreise, "
          f"{len(bezirke)} Regierungsbezirke")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
