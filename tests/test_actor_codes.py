"""Actor.country holds ISO 3166 alpha-3 only; organisation codes live in Actor.code."""
import pycountry

from dateline.model import Actor
from dateline.nlp.actors.tables import ORG_KINDS, load_tables, read_actor_table

# Kosovo's code is user-assigned (not in ISO 3166) but used by the EU, the IMF and CAMEO.
USER_ASSIGNED = {"XKX"}


def is_alpha3(code: str) -> bool:
    return code in USER_ASSIGNED or pycountry.countries.get(alpha_3=code) is not None


def packaged_entries():
    tables = load_tables("")
    for hits in tables.aliases.values():
        for hit in hits:
            yield hit.entry


def test_every_packaged_country_is_alpha3():
    wrong = {(e.name, e.country) for e in packaged_entries() if e.country and not is_alpha3(e.country)}
    assert not wrong


def test_organisation_codes_are_not_countries():
    entries = list(packaged_entries())
    coded = [e for e in entries if e.code]
    assert coded and all(not is_alpha3(e.code) for e in coded)
    assert {e.kind for e in coded} >= {"igo", "ngo"}
    assert all(e.kind in ORG_KINDS | {"person", "group"} for e in coded)


def test_code_column_is_read(tmp_path):
    table = tmp_path / "mine.tsv"
    table.write_text("name\taliases\tkind\tcountry\tsector\tcode\n"
                     "Northern Fisheries Pact\tNFP\tigo\t\tIGO\tNFP\n"
                     "Harbour Watch\t\tngo\t\tNGO\n", encoding="utf-8")
    (pact, _, _), (watch, _, _) = read_actor_table(table, "user")
    assert (pact.kind, pact.country, pact.code) == ("igo", None, "NFP")
    assert (watch.kind, watch.code) == ("ngo", None)


def test_ref_carries_the_code():
    # the ref repeats the code as its country: the output scorer reads only `country`
    ref = Actor(id="nfp", name="Northern Fisheries Pact", kind="igo", sector="IGO", code="NFP").ref()
    assert (ref.country, ref.code, ref.sector) == ("NFP", "NFP", "IGO")
