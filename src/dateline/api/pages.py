"""Server-side HTML: the analyst page at ``/`` and the reader (``/read``, authors, outlets).

Templates are Jinja2 with autoescaping on, so article text is always rendered as text;
the reader pages are complete without JavaScript (highlights toggle with a checkbox,
sparklines are inline SVG), and the scripts only add click-to-inspect.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from dateline.api.params import MAX_OFFSET, STORY_MIN_ARTICLES
from dateline.api import queries, reader
from dateline.api.highlight import annotate, coding_table
from dateline.model import Document
from dateline.stories import queries as stories_queries

router = APIRouter(include_in_schema=False)

TEMPLATES = Path(__file__).parent / "web" / "templates"


def _nice_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day:%B} {day.day}, {day.year}"


env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True))
env.filters["nice_date"] = _nice_date
env.filters["path"] = lambda value: quote(str(value), safe="")


def _markdown(text: str | None) -> Markup:
    """API descriptions are Markdown (backticks, lists); raw HTML in them stays text."""
    from markdown_it import MarkdownIt

    return Markup(MarkdownIt("commonmark", {"html": False}).render(text or ""))


env.filters["markdown"] = _markdown


def compile_templates() -> None:
    """Compile every template once (the first render of each would otherwise pay for it)."""
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(env.get_template(name).render(**context), status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render("error.html", status=status, status_code=status, message=message)


def _panels(request: Request, conn: Any, exclude: str | None = None) -> dict[str, Any]:
    return {"latest": reader.latest(conn, 8, exclude=exclude), "trending": request.app.state.trending.get(conn)}


@router.get("/", response_class=HTMLResponse)
def analyst_page(request: Request) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        facets = queries.event_facets(conn)
        documents = queries.count_documents(conn)
    return render("analyst.html", facets=facets, documents=documents)


@router.get("/read", response_class=HTMLResponse)
def read_home(request: Request, q: str | None = Query(None, max_length=200),
              offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        results, total = request.app.state.search.search(conn, q, 20, offset) if q and q.strip() else ([], 0)
        panels = _panels(request, conn)
        front = reader.latest(conn, 16)
        lede = reader.lead_text(conn, front[0]["id"]) if front else ""
        outlet_list = reader.outlets(conn)
        stories = stories_queries.list_stories(conn, 6, min_articles=STORY_MIN_ARTICLES) if not q else []
    return render("read_home.html", q=q or "", results=results, total=total, offset=offset, front=front,
                  lede=lede, outlets=outlet_list, stories=stories, show_latest=bool(q), **panels)


@router.get("/read/{doc_id}", response_class=HTMLResponse)
def read_article(request: Request, doc_id: str, highlights: bool = True) -> HTMLResponse:
    with request.app.state.engine.connect() as conn:
        row = queries.get_document_row(conn, doc_id)
        if row is None:
            raise HTTPException(404, "This article is not in the store.")
        document = Document.from_dict(row["document"])
        context = {
            "doc": document, "art": document.article, "story_id": row["story_id"],
            "paragraphs": annotate(document), "coding": coding_table(document),
            "authors": reader.authors_of(conn, document.id),
            "cross_links": reader.resolve_cross_links(conn, document.article.related, document.id),
            "related": reader.related(conn, document),
            "highlights": highlights, **_panels(request, conn, exclude=document.id),
        }
    return render("read_article.html", **context)


@router.get("/authors/{name:path}", response_class=HTMLResponse)
def author_page(request: Request, name: str, offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
    return _profile_page(request, "author", reader.author_profile, name, offset)


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
def outlet_page(request: Request, name: str, offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
    return _profile_page(request, "outlet", reader.outlet_profile, name, offset)


def _profile_page(request: Request, kind: str, lookup: Any, name: str, offset: int) -> HTMLResponse:
    """An author's or an outlet's page: the same layout over a different profile query."""
    with request.app.state.engine.connect() as conn:
        profile = lookup(conn, name, 50, offset)
        if profile is None:
            raise HTTPException(404, f"No stored article is {'by this author' if kind == 'author' else 'from this outlet'}.")
        panels = _panels(request, conn)
    return render("profile.html", kind=kind, profile=profile, offset=offset, **panels)


def _schema_type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_schema_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        return f"list of {_schema_type(schema.get('items') or {})}"
    return str(schema.get("type") or schema.get("$ref", "").rsplit("/", 1)[-1] or "any")


def _responses(spec: dict[str, Any], op: dict[str, Any]) -> list[dict[str, Any]]:
    """Each status with its description and the fields of its JSON schema, when declared."""
    answers = []
    for status, answer in sorted(op.get("responses", {}).items()):
        schema = ((answer.get("content") or {}).get("application/json") or {}).get("schema") or {}
        if "$ref" in schema:
            schema = spec.get("components", {}).get("schemas", {}).get(schema["$ref"].rsplit("/", 1)[-1], {})
        fields = [{"name": name, "type": _schema_type(prop), "description": prop.get("description", "")}
                  for name, prop in (schema.get("properties") or {}).items()]
        answers.append({"status": status, "description": answer.get("description", ""),
                        "type": _schema_type(schema) if schema else "", "fields": fields})
    return answers


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Each path and method of the OpenAPI spec, flattened for the docs page."""
    found = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": _schema_type(p.get("schema") or {}), "default": (p.get("schema") or {}).get("default"),
                       "description": p.get("description") or (p.get("schema") or {}).get("description") or ""}
                      for p in op.get("parameters", [])]
            body = list((op.get("requestBody") or {}).get("content", {}))
            found.append({"path": path, "method": method.upper(), "summary": op.get("summary") or "",
                          "description": op.get("description") or "",
                          "tag": (op.get("tags") or ["other"])[0], "params": params, "body": body,
                          "responses": _responses(spec, op)})
    return found


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    return render("api_docs.html", info=spec.get("info", {}), openapi=spec.get("openapi"),
                  operations=_operations(spec))


@router.get("/favicon.ico")
def favicon() -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg")
