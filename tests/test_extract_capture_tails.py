"""What follows an article in a text capture: fact-check source lists, "About <author>" boxes,
sign-up boxes and slideshow furniture stay out of the body."""
from dateline.extract import extract_article
from dateline.model import Record

HEAD = "Tidewater Courier\nNews\nSport\nHarbour board agrees new ferry timetable\nBy Ana Ruiz\nMarch 3, 2026\n"
PROSE = [
    "The harbour board agreed on Tuesday a new ferry timetable that adds two evening crossings for commuters.",
    "Board members said the change follows a year of complaints from residents of the outer islands about late boats.",
    "The new timetable starts in May and will be reviewed after six months, the board's chair told reporters.",
]


def body_of(tail: str) -> list[str]:
    text = HEAD + "\n".join(PROSE) + "\n" + tail
    return extract_article(Record(source="capture.txt", content=text, kind="text")).body


def test_a_fact_checkers_source_list_ends_the_text():
    body = body_of("Sources:\nCourier archive, \"Ferry delays,\" Jan. 4, 2026\nEmail interview with a harbour pilot, Feb. 2, 2026\n")
    assert body == PROSE


def test_an_about_box_for_a_named_person_ends_the_text():
    body = body_of("Sobre Marta Keller\nMarta Keller é mãe de dois filhos e escreve sobre educação desde 2010 em Lisboa.\n")
    assert body == PROSE


def test_sign_up_boxes_and_slideshow_lines_are_dropped():
    body = body_of("Image 1 of 4\nCaption\nLet our news meet your inbox. The stories that matter, delivered weekday mornings.\n"
                   "No spam, we promise. You can unsubscribe at any time.\n")
    assert body == PROSE


def test_a_sign_up_box_after_the_text_ends_it_and_the_footer_under_it_stays_out():
    body = body_of("Stay up to date with the Courier.\nSubscribe No thanks\nPlease, fill the form to subscribe to our newsletter\n"
                   "Courier News Service\nCourier news at your fingertips, delivered to readers of the whole coast every day.\n")
    assert body == PROSE


def test_a_gallery_inside_the_text_is_skipped_and_the_text_goes_on():
    more = ["The harbour pilots' union welcomed the timetable, saying that evening crossings had been asked for since 2019.",
            "Ferry operators will hire four more crew members before May to staff the new evening crossings, they said."]
    text = HEAD + "\n".join(PROSE) + "\nPhoto: Ana Ruiz, Courier\nImage 1 of 4\nCaption\nClose\n" + "\n".join(more) + "\n"
    assert extract_article(Record(source="capture.txt", content=text, kind="text")).body == PROSE + more
