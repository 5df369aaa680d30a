"""The title of an HTML page is the headline it shows, not a shorter social/search title."""
from dateline.extract import extract_article
from dateline.model import Record

BODY = "".join(f"<p>The harbour board met on Tuesday and agreed a new schedule for the ferries, paragraph {i}.</p>"
               for i in range(6))


def page(head_title: str, og_title: str, body_head: str) -> str:
    return (f"<html><head><title>{head_title}</title><meta property='og:title' content='{og_title}'></head>"
            f"<body><header><h1>Tidewater Courier</h1></header>{body_head}{BODY}</body></html>")


def title_of(html: str) -> str | None:
    return extract_article(Record(source="t.html", content=html, kind="html")).title


def test_the_shown_h1_in_the_article_wins_over_a_shorter_social_title():
    html = page("Ferry changes agreed | Tidewater Courier", "Ferry changes agreed",
                "<article><h1>Harbour board agrees ferry changes after long dispute</h1></article>")
    assert title_of(html) == "Harbour board agrees ferry changes after long dispute"


def test_an_h1_that_is_the_site_name_or_another_story_is_not_the_title():
    html = page("Ferry changes agreed | Tidewater Courier", "Ferry changes agreed",
                "<article><h1>Why nobody reads the weather page</h1></article>")
    assert title_of(html) == "Ferry changes agreed"
