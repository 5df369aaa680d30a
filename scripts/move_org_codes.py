"""One-off migration: move organisation codes out of the actor tables' country column.

``Actor.country`` holds ISO 3166 alpha-3 only; the codes the tables used to put there
(UNO, NATO, IGO, NGO, IMG ...) go to the new ``code`` column, and organisations that are
intergovernmental or non-governmental get kind igo / ngo. Kept so the change can be re-run
on a table written in the old shape: ``python scripts/move_org_codes.py FILE.tsv ...``.
"""
import sys

import pycountry

USER_ASSIGNED = {"XKX"}  # Kosovo: user-assigned code, used by the EU, IMF and CAMEO alike
RENAMED = {"EU": "EUR"}  # CAMEO's code for the European Union
IGO_CODES = {"UNO", "NATO", "EUR", "AFR", "ARB", "ASN", "IGO"}
NAMED = {"Amnesty International": "AMN", "Human Rights Watch": "HRW"}  # CAMEO's own NGO codes
# (the Red Cross keeps the IGO code it had: scorers match it as an international body)


def migrate(path: str) -> None:
    out = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            out.append(line)
            continue
        cells = line.rstrip("\n").split("\t")
        if cells[0] == "name":
            header = cells if "code" in cells else cells + ["code"]
            out.append("\t".join(header) + "\n")
            continue
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        country = row["country"]
        if not country or country in USER_ASSIGNED or pycountry.countries.get(alpha_3=country):
            out.append(line)  # left as written: a shorter row reads the missing columns as empty
            continue
        code = NAMED.get(row["name"], RENAMED.get(country, country))
        row["country"], row["code"] = "", code
        if row["kind"] == "org":
            igo = code in IGO_CODES and row["sector"] != "NGO"
            row["kind"] = "igo" if igo else ("ngo" if row["sector"] in ("NGO", "HLH") else "org")
        out.append("\t".join(row[h] for h in header).rstrip("\t") + "\n")
    open(path, "w", encoding="utf-8").write("".join(out))


if __name__ == "__main__":
    for name in sys.argv[1:]:
        migrate(name)
