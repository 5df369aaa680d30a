"""Reading the parse around a cue: who is the subject of a reporting verb, which cue
governs a stretch of text, and the few words either side of a quotation."""
from __future__ import annotations

from spacy.tokens import Doc, Token

from dateline.nlp.quotes.lexicon import Lexicon, role_nouns

SENTENCE_END = frozenset({".", "!", "?"})
DASHES = frozenset({"\u2015", "\u2014", "\u2013", "-", "--"})
# Dependencies through which a reporting verb takes its subject from the word it hangs on:
# "Moscow downplayed ..., insisting that" (advcl), "Israel accused ... and said" (conj).
_INHERIT_SUBJECT = frozenset({"advcl", "xcomp", "conj", "pcomp", "ccomp"})
_RELATIVE = frozenset({"who", "which", "that"})
_INVERTED_SUBJECT = frozenset({"nsubj", "dobj", "attr", "npadvmod", "appos", "dep", "oprd"})
# Passive verbs whose subject is the speaker: "X was quoted as saying ...".
_QUOTED_PASSIVES = frozenset({"quote", "hear", "record", "overhear", "cite"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those", "it", "there", "which", "who", "what"})


def subject_of(verb: Token, allow_inversion: bool = False, nouns: frozenset[str] = frozenset()) -> Token | None:
    """The token heading the phrase that names who did the saying, if the parse has one."""
    current = verb
    for _ in range(4):
        for child in current.children:
            if child.dep_ == "nsubj":
                if child.lower_ in _RELATIVE and current.dep_ == "relcl":
                    return current.head          # "officials, who said that ..."
                return None if child.lower_ in DEMONSTRATIVES else child
            if child.dep_ == "agent":           # "it was announced by the ministry that ..."
                source = next((c for c in child.children if c.dep_ == "pobj"), None)
                if source is not None and source.lower_ not in DEMONSTRATIVES:
                    return source
            if child.dep_ == "nsubjpass" and current.lemma_.lower() in _QUOTED_PASSIVES \
                    and child.lower_ not in DEMONSTRATIVES:
                return child                     # "X was quoted as saying ..."
        if current.dep_ == "acl" and current.head.lemma_ in nouns:
            return current.head                  # "a statement saying that ..."
        if current.dep_ == "pcomp" and current.head.lower_ == "as" and current.head.head.lemma_.lower() in _QUOTED_PASSIVES:
            current = current.head.head          # "quoted as saying": up through "as"
            continue
        if current.dep_ == "pcomp" and current.head.dep_ == "prep" and current.head.head.pos_ in ("VERB", "AUX"):
            current = current.head.head          # "after casting doubt on ..., X said": the main clause's subject
            continue
        if current.dep_ == "acl" and current.tag_ in ("VBG", "VBN") and _names_someone(current.head) \
                and current.head.lemma_ not in nouns and current.i > current.head.i:
            return current.head                  # "Hurlburt, referring to ...": a participle's noun does it
        if current.dep_ not in _INHERIT_SUBJECT or current.head.i == current.i:
            break
        current = current.head
    if allow_inversion:
        for child in verb.rights:
            if child.dep_ in _INVERTED_SUBJECT and child.pos_ in ("PROPN", "NOUN", "PRON"):
                return child
        nxt = verb.i + 1
        if nxt < len(verb.doc) and verb.doc[nxt].pos_ in ("PROPN", "NOUN"):
            return _noun_head(verb.doc[nxt])
    return None


def _names_someone(token: Token) -> bool:
    """A name or a role ("the senator"), not a thing ("a campaign focused on ...")."""
    return token.pos_ == "PROPN" or token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or token.lemma_.lower() in role_nouns()


def _noun_head(token: Token) -> Token:
    """From a word inside a name ("Donald" in "Donald Trump") to the name's head."""
    while token.dep_ in ("compound", "flat", "amod") and token.head.i > token.i:
        token = token.head
    return token


def cue_text(verb: Token) -> str:
    """The cue as written: the verb with its particle ("pointed out", "called for")."""
    parts = [verb] + [c for c in verb.rights if c.dep_ == "prt"]
    return " ".join(t.text for t in sorted(parts, key=lambda t: t.i))


def paragraph_index(doc: Doc) -> list[int]:
    """Paragraph number of every token (a line break starts a new one). The parser may
    join paragraphs into one sentence; attributions never cross them."""
    index, number = [0] * len(doc), 0
    for token in doc:
        index[token.i] = number
        if token.is_space and "\n" in token.text:
            number += 1
    return index


def governing_cue(token: Token, outside: range, lexicon: Lexicon, paragraphs: list[int], limit: int = 8) -> tuple[Token, Token] | None:
    """Walk up from ``token`` to the first reporting verb outside ``outside`` (token indices),
    within the token's paragraph. Returns (cue, the child of the cue on the path), or None.
    """
    child, current = token, token.head
    steps = 0
    while current.i != child.i and steps < limit and paragraphs[current.i] == paragraphs[token.i]:
        if current.i not in outside and lexicon.verb_class(current.lemma_) and current.pos_ in ("VERB", "AUX"):
            return current, child
        child, current = current, current.head
        steps += 1
    return None


def frame_after(doc: Doc, start: int, inside: list[int], limit: int = 14) -> list[Token]:
    """Tokens after a quotation up to the end of its sentence, a line break or another quote."""
    out: list[Token] = []
    i = start
    while i < len(doc) and len(out) < limit:
        token = doc[i]
        if inside[i] >= 0 or "\n" in token.text:
            break
        if not token.is_space:
            out.append(token)
        if token.text in SENTENCE_END:
            break
        i += 1
    return out


def frame_before(doc: Doc, end: int, inside: list[int], limit: int = 40) -> list[Token]:
    """Tokens before a quotation back to the previous sentence end, line break or quote."""
    out: list[Token] = []
    i = end - 1
    while i >= 0 and len(out) < limit:
        token = doc[i]
        if inside[i] >= 0 or "\n" in token.text or token.text in SENTENCE_END:
            break
        if not token.is_space:
            out.append(token)
        i -= 1
    out.reverse()
    return out
