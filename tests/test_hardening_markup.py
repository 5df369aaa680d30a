"""A small page with a huge attribute list on one tag is refused before lxml parses it."""
import time

import pytest

from dateline.extract.html import extract_html
from dateline.model import DatelineError, Record

BODY = "<p>" + "The council met on Tuesday and voted on the new budget for the city. " * 20 + "</p>"


def test_page_with_300k_attributes_is_refused_fast():
    attrs = " ".join(f"a{i}=x" for i in range(300_000))
    page = f"<html><body><div {attrs}>hi</div>{BODY}</body></html>"
    started = time.monotonic()
    with pytest.raises(DatelineError, match="pathological markup"):
        extract_html(Record(source="bomb.html", content=page, kind="html"))
    assert time.monotonic() - started < 5


def test_long_but_ordinary_tag_still_parses():
    data_uri = "data:image/png;base64," + "A" * 50_000
    page = f"<html><head><title>Budget vote</title></head><body><img src='{data_uri}'><article>{BODY}</article></body></html>"
    try:
        extract_html(Record(source="ok.html", content=page, kind="html"))
    except DatelineError as error:
        assert "pathological" not in str(error)


def test_a_flood_of_elements_is_refused_before_extraction():
    from dateline.extract import extract_article
    from dateline.model import DatelineError, Record

    flood = "<html><body>" + "<p>" * 150_000 + "<p>Talks resumed in Oslo on Monday, officials said.</p></body></html>"
    with pytest.raises(DatelineError, match="elements"):
        extract_article(Record(source="flood.html", content=flood, kind="html"))
