"""Render pages laid out as mozilla/readability's test pages as text captures, for checking
that the capture rules hold on pages they were not tuned on.

    python3 eval/render_captures.py PAGES_DIR OUT_DIR
    python3 eval/extract_fast.py capture --corpus OUT_DIR --pages

PAGES_DIR holds one folder per page with source.html, expected.html (the article body) and
expected-metadata.json (title, byline, publishedTime), as mozilla/readability's test/test-pages
(Apache-2.0) does. Each page is rendered with the recipe of shared/corpus/captures-dev (headless
Chromium through Playwright, JavaScript off, no network, inner_text of the body, paste-like
normalisation) into OUT_DIR/text/<page>.txt; OUT_DIR/truth.json gets the body (expected.html's
block text), the title as the capture shows it (og:title, twitter:title or <title>, less a site
suffix, preferring a matching <h1>, as captures-dev's truth was derived; empty when none stands
as a line) and readability's byline and publishedTime. OUT_DIR is measurement data: keep it out
of the repository (e.g. under .eval-cache/).
"""
import json
import re
import sys
from pathlib import Path

import lxml.html
from playwright.sync_api import sync_playwright

SRC = Path(sys.argv[1]) if len(sys.argv) > 2 else Path("pages")
OUT = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(".eval-cache/rendered-captures")


def fold(s):
    return " ".join(re.findall(r"\w+", s.lower()))


def normalise(text):
    lines = [l.rstrip() for l in text.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{4,}", "\n\n\n", text).strip("\n")
    return text + "\n"


def strip_suffix(t):
    out = [t]
    cur = t
    while True:
        m = re.match(r"^(.*\S)\s+(?:\||-|–|—|·|::|»|•|/)\s+(.+)$", cur)
        if not m or len(m.group(2)) > len(m.group(1)):
            break
        cur = m.group(1)
        out.append(cur)
    return out


def dice(a, b):
    a, b = set(fold(a).split()), set(fold(b).split())
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0


def title_truth(doc, capture_lines):
    folded = {fold(l): l for l in capture_lines if l.strip()}
    meta = []
    for xp in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content',
               '//meta[@property="twitter:title"]/@content', '//title/text()'):
        meta += [v.strip() for v in doc.xpath(xp) if v.strip()]
    h1s = [" ".join(h.text_content().split()) for h in doc.xpath("//h1")]
    h1s = [h for h in h1s if fold(h) in folded]
    for m in meta:
        for cand in strip_suffix(m):
            if fold(cand) in folded:
                for h in h1s:
                    if dice(h, cand) >= 0.8:
                        return folded[fold(h)], "h1~meta"
                return folded[fold(cand)], "meta"
    for h in h1s:
        if any(len(set(fold(h).split()) & set(fold(m).split())) >= 0.4 * len(fold(h).split()) for m in meta):
            return folded[fold(h)], "h1"
    return None, None


def body_truth(path):
    doc = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    parts = []
    for el in doc.iter("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td"):
        if any(a.tag in ("p", "li", "blockquote", "pre", "td") for a in el.iterancestors()):
            continue
        t = " ".join(el.text_content().split())
        if t:
            parts.append(t)
    return "\n".join(parts)


def main():
    (OUT / "text").mkdir(parents=True, exist_ok=True)
    truth = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        ctx = browser.new_context(java_script_enabled=False, offline=True)
        for d in sorted(SRC.iterdir()):
            src = d / "source.html"
            if not src.exists() or src.stat().st_size == 0:
                continue
            page = ctx.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
            try:
                page.goto(src.resolve().as_uri(), timeout=15000, wait_until="load")
                text = normalise(page.inner_text("body"))
            except Exception as e:
                print(d.name, "failed", e, file=sys.stderr)  # noqa: T201 - a report line
                page.close()
                continue
            page.close()
            key = d.name
            (OUT / "text" / f"{key}.txt").write_text(text, encoding="utf-8")
            doc = lxml.html.fromstring(src.read_text(encoding="utf-8", errors="replace"))
            title, how = title_truth(doc, text.split("\n"))
            meta = json.loads((d / "expected-metadata.json").read_text())
            truth[key] = {"articleBody": body_truth(d / "expected.html"), "url": "", "title": (title or "").strip(),
                          "title_how": how, "byline": meta.get("byline"), "published": meta.get("publishedTime")}
            print(key, how, repr(title)[:80])
        browser.close()
    (OUT / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
