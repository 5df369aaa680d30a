"""dateline_geo: places, the dateline place and clause locations (invented sentences)."""
from __future__ import annotations

import pytest

from dateline.nlp.geo import dateline_place, geocode, place_for_span, places_in_span


@pytest.fixture
def analyse(nlp):
    def run(text: str, dateline: str | None = None):
        doc = nlp.make_doc(text)
        doc._.anchor_date = "2025-07-26"
        doc._.dateline = dateline
        return nlp(doc)
    return run


# ------------------------------------------------------------ geocode() without a Doc

@pytest.mark.parametrize("name, country, lat, lon", [
    ("Istanbul", "TUR", 41.01, 28.95),
    ("istanbul", "TUR", 41.01, 28.95),                 # case-insensitive
    ("Kiev", "UKR", 50.45, 30.52),                     # an alternate name of Kyiv
    ("Odessa", "UKR", 46.49, 30.74),                   # the big Ukrainian city, not the Texan one
    ("SHARM EL-SHEIKH, Egypt", "EGY", 27.92, 34.33),
    ("WASHINGTON", "USA", 38.9, -77.04),               # the capital, not the state
    ("Moscow", "RUS", 55.75, 37.62),
    ("St. Petersburg", "RUS", 59.94, 30.31),
    ("NEW DELHI", "IND", 28.64, 77.22),                # its own entry, not Delhi's alternate name
    ("KYIV, Ukraine (AP) —", "UKR", 50.45, 30.52),     # agency and dash dropped
    ("UNITED NATIONS", "USA", 40.75, -73.97),          # the wire dateline of UN headquarters
])
def test_geocode_cities(name, country, lat, lon):
    place = geocode(name)
    assert place is not None and place.country == country
    assert place.lat == pytest.approx(lat, abs=0.05) and place.lon == pytest.approx(lon, abs=0.05)


@pytest.mark.parametrize("name, country", [
    ("Crimea", "UKR"), ("Donbas", "UKR"), ("Gaza", "PSE"), ("the West Bank", "PSE"),
    ("Kashmir", "IND"), ("Darfur", "SDN"), ("Voronezh Region", "RUS"), ("Kursk oblast", "RUS"),
    ("Georgia", "GEO"), ("Texas", "USA"), ("the United States", "USA"), ("U.S.", "USA"),
    ("Britain", "GBR"), ("Democratic Republic of Congo", "COD"), ("Türkiye", "TUR"),
    ("eastern Ukraine", "UKR"), ("Samara region", "RUS"),
])
def test_geocode_regions_countries_states(name, country):
    place = geocode(name)
    assert place is not None and place.country == country
    assert place.lat is not None and place.lon is not None


def test_country_hint_picks_among_namesakes():
    assert geocode("Moscow", country="USA").country == "USA"
    assert geocode("Moscow, Idaho").country == "USA"


@pytest.mark.parametrize("dateline, lat", [
    ("Springfield, Illinois", 39.8), ("SPRINGFIELD, Ill.", 39.8), ("Portland, Ore.", 45.52),
    ("PORTLAND, Maine", 43.66),
])
def test_us_state_qualifiers(dateline, lat):
    place = geocode(dateline)
    assert place.country == "USA" and place.lat == pytest.approx(lat, abs=0.1)


def test_countries_are_placed_at_their_population_centre_not_the_capital():
    ukraine, kyiv = geocode("Ukraine"), geocode("Kyiv")
    assert (ukraine.lat, ukraine.lon) != (kyiv.lat, kyiv.lon)
    assert 44 < ukraine.lat < 53 and 22 < ukraine.lon < 41         # inside the country
    assert (ukraine.precision, kyiv.precision) == ("country", "city")


@pytest.mark.parametrize("name", ["Ukrainian", "Narnia", "", "the ministry"])
def test_unknown_names_are_none(name):
    assert geocode(name) is None


# ------------------------------------------------------------ the component

def names(doc):
    """The places named as locations (metonyms left out: see the metonym tests)."""
    return [(p.name, p.country) for p in doc._.places if p.role != "metonym"]


def test_mentions_with_offsets(analyse):
    text = "Delegates gathered in Geneva before flying to Istanbul for talks."
    doc = analyse(text)
    assert names(doc) == [("Geneva", "CHE"), ("Istanbul", "TUR")]
    for place in doc._.places:
        assert text[place.start:place.end] == place.name


def test_regions_the_ner_misses(analyse):
    doc = analyse("Officials said they would never accept the annexation of Crimea.")
    assert ("Crimea", "UKR") in names(doc)


def test_places_used_as_actors_are_left_out(analyse):
    doc = analyse("Moscow said the talks in Istanbul were useful, and Russia's envoy agreed.")
    assert names(doc) == [("Istanbul", "TUR")]


def test_buildings_only_after_a_locative_preposition(analyse):
    assert names(analyse("The Kremlin rejected the offer.")) == []
    assert names(analyse("The envoys met at the White House on Monday.")) == [("White House", "USA")]


def test_dateline_place_first_with_offsets_when_text_opens_with_it(analyse):
    text = "KYIV, Ukraine (Wire) — Officials met in Lviv on Monday."
    doc = analyse(text, dateline="KYIV, Ukraine")
    place = dateline_place(doc)
    assert (place.name, place.country, place.role) == ("Kyiv", "UKR", "dateline")
    assert (place.start, place.end) == (0, 4)
    assert doc._.places[0] is place
    assert sum(1 for p in doc._.places if p.start == 0) == 1


def test_dateline_not_in_text_has_no_offsets(analyse):
    doc = analyse("The leaders signed a declaration backing the truce.", dateline="SHARM EL-SHEIKH, Egypt")
    place = dateline_place(doc)
    assert (place.name, place.country, place.start, place.end) == ("Sharm el-Sheikh", "EGY", None, None)


def test_no_dateline(analyse):
    assert dateline_place(analyse("Talks were held in Doha.")) is None


def test_place_for_span_prefers_verb_attached_places(analyse):
    text = "Previous talks held in Doha yielded little. The leaders signed a declaration backing the ceasefire in Gaza."
    doc = analyse(text)
    second = text.index("The leaders")
    assert place_for_span(doc, 0, second).name == "Doha"
    assert place_for_span(doc, second, len(text)) is None       # Gaza is where the ceasefire is
    assert [p.name for p in places_in_span(doc, second, len(text))] == ["Gaza"]


def test_place_for_span_with_venue_and_trigger(analyse):
    text = "Delegations returned to the negotiating table in Istanbul on Wednesday."
    doc = analyse(text)
    assert place_for_span(doc, 0, len(text)).name == "Istanbul"
    text = "Rebels seized the city of Goma in eastern Congo last year."
    doc = analyse(text)
    place = place_for_span(doc, 0, len(text), trigger=text.index("seized"))
    assert place is not None and place.country == "COD"


def test_affiliations_and_surnames_are_not_places(analyse):
    doc = analyse("US President Joe Smith spoke in Denver. Critics of Maria Machado said Machado erred.")
    assert names(doc) == [("Denver", "USA")]
    assert names(analyse("The fund lost US $50 million in Peru.")) == [("Peru", "PER")]


def test_place_as_object_through_a_frame_noun(analyse):
    text = "The offensive has devastated large parts of eastern Ukraine since spring."
    doc = analyse(text)
    place = place_for_span(doc, 0, len(text))
    assert place is not None and place.country == "UKR"


def test_unknown_dateline_adds_nothing(analyse):
    doc = analyse("The president spoke to reporters on the flight.", dateline="ABOARD AIR FORCE ONE")
    assert dateline_place(doc) is None and doc._.places == []


# ------------------------------------------------------------ issue 12: places found and placed

def test_every_place_has_a_precision(analyse):
    doc = analyse("Troops moved from Texas to Kyiv, Ukraine, and on across Europe and the Middle East.")
    found = {p.name: p.precision for p in doc._.places}
    assert found["Texas"] == "admin" and found["Kyiv"] == "city" and found["Ukraine"] == "country"
    assert found["Europe"] == "region" and found["Middle East"] == "region"


@pytest.mark.parametrize("name", ["Middle East", "Korean Peninsula", "Gaza Strip", "West Bank", "Europe", "Asia"])
def test_continents_and_regions(name):
    place = geocode(name)
    assert place is not None and place.precision == "region"


def test_admin_regions_beyond_the_us_states():
    punjab, ontario = geocode("Punjab"), geocode("Ontario")
    assert (punjab.country, punjab.precision) == ("IND", "admin")
    assert (ontario.country, ontario.precision) == ("CAN", "admin")     # the province, not the Californian city
    assert geocode("Baghdad").precision == "city"                       # a province named like its city is the city


def test_countries_named_as_actors_are_metonyms(analyse):
    doc = analyse("Turkey has shelled the border town, and officials in Ankara met U.S. envoys.")
    roles = {p.name: p.role for p in doc._.places}
    assert roles["Turkey"] == "metonym" and roles["United States"] == "metonym"
    assert roles["Ankara"] is None


def test_a_country_as_a_destination_is_a_place(analyse):
    doc = analyse("He fought extradition to the United States for years.")
    assert ("United States", "USA") in names(doc)


def test_namesakes_resolved_by_the_articles_other_places(analyse):
    doc = analyse("Students in Parkland marched on Saturday. Florida lawmakers met them in Tallahassee.")
    parkland = next(p for p in doc._.places if p.name == "Parkland")
    assert parkland.lat == pytest.approx(26.3, abs=0.2)                 # Florida, not Washington state


def test_dateline_found_after_a_byline(analyse):
    doc = analyse("By Jane Doe. BOSTON (Wire) - A judge ruled on Monday that the law stands.")
    place = dateline_place(doc)
    assert place is not None and (place.name, place.country) == ("Boston", "USA")
    assert doc.text[place.start:place.end] == "BOSTON"


def test_dateline_at_the_start_of_the_lead_with_an_agency(analyse):
    place = dateline_place(analyse("ATLANTA (Wire) An aide said the governor would sign the bill."))
    assert place is not None and place.country == "USA" and place.name == "Atlanta"


def test_capitalised_common_words_are_not_places(analyse):
    doc = analyse("Reading the statement, she said Nice words would not do. Mobile phones were banned.")
    assert names(doc) == []


def test_a_direction_makes_a_part_of_a_country(analyse):
    doc = analyse("Fighting raged in northwest Syria on Sunday.")
    place = next(p for p in doc._.places if p.country == "SYR")
    assert place.precision == "region" and doc.text[place.start:place.end] == "northwest Syria"


def test_local_conflict_places_and_english_region_names():
    assert geocode("al-Tanf").country == "SYR"
    assert geocode("Eastern Ghouta").country == "SYR"
    bavaria = geocode("Bavaria")
    assert (bavaria.country, bavaria.precision) == ("DEU", "admin") and bavaria.lat is not None
    assert geocode("Kent").country == "GBR"   # the English county, not Kent, Washington
    assert geocode("Kent, Wash.").country == "USA"
