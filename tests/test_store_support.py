"""Shared helpers for the store, runner, export and load tests (no tests here).

- ``store_url``: a fresh store URL, parametrised over SQLite and PostgreSQL (PostgreSQL
  skips only when DATELINE_TEST_PG is unset; each test gets its own throw-away database).
- ``write_articles``: invented news captures, all different, for runs over many files.
- ``make_documents``: analysed Documents built directly (no spaCy), for store/export tests.
"""
from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

import pytest

from dateline.model import Actor, ActorRef, Article, Document, Event, Mention, Place, Quote

ROOT = Path(__file__).resolve().parents[1]
DATELINE = str(Path(sys.executable).parent / "dateline")  # the console script of this venv

COUNTRIES = [
    ("Norway", "NOR", "Oslo", "Prime Minister Ingrid Solberg"),
    ("Chile", "CHL", "Santiago", "Foreign Minister Tomas Araya"),
    ("Kenya", "KEN", "Nairobi", "President Daniel Mwangi"),
    ("Vietnam", "VNM", "Hanoi", "Trade Minister Le Van Hoa"),
    ("Poland", "POL", "Warsaw", "Defence Minister Marek Nowicki"),
    ("Egypt", "EGY", "Cairo", "Foreign Minister Samir Fahmy"),
    ("Canada", "CAN", "Ottawa", "Prime Minister Claire Dubois"),
    ("Peru", "PER", "Lima", "President Rosa Quispe"),
]
ACTIONS = [
    ("met", "to discuss a fishing agreement"),
    ("accused", "of violating the border accord"),
    ("signed a trade deal with", "after months of talks"),
    ("urged", "to release the detained journalists"),
    ("threatened", "with new tariffs on steel"),
]


def article_text(n: int) -> str:
    """An invented text capture, different for every n (title, dateline lead, quotes)."""
    a_name, _, a_city, a_leader = COUNTRIES[n % len(COUNTRIES)]
    b_name, _, _, b_leader = COUNTRIES[(n // len(COUNTRIES) + n + 1) % len(COUNTRIES)]
    verb, rest = ACTIONS[n % len(ACTIONS)]
    return (
        f"{a_name} and {b_name} in new dispute, report {n}\n\n"
        f"{a_city.upper()} (Wire) -- {a_leader} {verb} {b_name} on Tuesday {rest}, officials said in report {n}.\n\n"
        f"\"We will not accept this,\" {b_leader} told reporters in {a_city} on Wednesday.\n\n"
        f"Diplomats from both countries are expected to meet again next month, according to case {n * 7 + 3}.\n"
    )


def write_articles(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"article-{n:04d}.txt"
        path.write_text(article_text(n), encoding="utf-8")
        paths.append(path)
    return paths


def make_document(n: int) -> Document:
    a_name, a_code, a_city, a_leader = COUNTRIES[n % len(COUNTRIES)]
    b_name, b_code, _, _ = COUNTRIES[(n + 3) % len(COUNTRIES)]
    body = [f"{a_name} met {b_name} in {a_city} on Tuesday, story {n}.", f"\"We agree,\" {a_leader} said."]
    article = Article(title=f"Talks {n}", body=body, page_date=f"2025-0{n % 9 + 1}-1{n % 10}",
                      url=f"https://news.example/{n}", outlet="Example News", authors=["A. Writer", "B. Writer"])
    actors = {a_code.lower(): Actor(a_code.lower(), a_name, "country", a_code, "GOV"),
              b_code.lower(): Actor(b_code.lower(), b_name, "country", b_code, "GOV")}
    return Document(
        doc=f"doc-{n}.txt", article=article, actors=actors,
        entities=[Mention(a_name, 0, len(a_name), a_code.lower()),
                  Mention(b_name, len(a_name) + 5, len(a_name) + 5 + len(b_name), b_code.lower())],
        quotes=[Quote("We agree,", "direct", ActorRef(a_leader, a_code, "GOV", mention=a_leader), "said",
                      len(body[0]) + 3, len(body[0]) + 12)],
        events=[Event("CONSULT", cameo="04", source=[actors[a_code.lower()].ref()],
                      target=[actors[b_code.lower()].ref()], date=f"2025-0{n % 9 + 1}-0{n % 9 + 1}",
                      date_text="on Tuesday", place=Place(a_city, a_code, 10.0 + n, 20.0 - n),
                      evidence=body[0], start=0, end=len(body[0]), confidence=0.8)]
        + ([Event("ACCUSE", cameo="11", source=[actors[b_code.lower()].ref()], target=[actors[a_code.lower()].ref()],
                  evidence=body[1], factuality="possible", confidence=0.4)] if n % 2 else []),
    )


def make_documents(count: int, start: int = 0) -> list[Document]:
    return [make_document(n) for n in range(start, start + count)]


# -- stores ---------------------------------------------------------------------------

def temporary_pg_database():
    """(URL, drop) of a new empty PostgreSQL database; skips the test when there is no server."""
    base = os.environ.get("DATELINE_TEST_PG")
    if not base:
        pytest.skip("DATELINE_TEST_PG is not set (make test starts PostgreSQL)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"dateline_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    for attempt in range(5):  # CREATE DATABASE fails while another one copies the template
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
            break
        except Exception:
            if attempt == 4:
                raise
            time.sleep(0.5 * (attempt + 1))

    def drop() -> None:
        # FORCE cannot end a backend of another role: an autovacuum worker (the superuser's)
        # busy on the new database refuses it for a moment, so the drop is tried again.
        for attempt in range(10):
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                break
            except Exception:
                if attempt == 9:
                    raise
                time.sleep(0.5 * (attempt + 1))
        admin.dispose()

    return make_url(base).set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture
def pg_url():
    """A throw-away PostgreSQL database for one test (dropped afterwards)."""
    url, drop = temporary_pg_database()
    yield url
    drop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")
