"""The query language of the search box, parsed once and compiled by each backend.

    wniosek budowa             both words (any inflected form, with or without diacritics)
    "warunki zabudowy"         the exact phrase (word forms as typed, diacritics optional)
    zabud*                     words starting with "zabud"
    drogi OR chodnik           either;  AND is the default;  NOT skarga  or  -skarga  excludes
    (droga OR chodnik) NOT ul  parentheses group
    RPW/12/2025, OR.0012.1.2024    an identifier: its record comes first

Operators are also accepted in Polish: I, LUB, NIE (upper case only, so "i" stays a word).
"""

import re
from dataclasses import dataclass, field

from obieg.text import fold
from search.index import terms as T

IDENTIFIER_RE = re.compile(r"^(?=.*\d)[\w-]+(?:[./][\w-]+)+$", re.UNICODE)
MAX_QUERY_LENGTH = 500
MAX_NODES = 40


class QuerySyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Word:
    text: str  # as typed (one \w+ token)

    def alternatives(self) -> tuple[str, ...]:
        return T.query_word_terms(self.text)


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]  # folded surface forms, in order


@dataclass(frozen=True)
class Prefix:
    stem: str  # folded


@dataclass(frozen=True)
class Identifier:
    value: str  # folded, e.g. "rpw/12/2025"
    phrase: Phrase  # its words, so it still matches where it is mentioned in text


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


@dataclass
class ParsedQuery:
    root: object | None  # None: no text condition (filters only)
    identifiers: list[str] = field(default_factory=list)
    positive_terms: set[str] = field(default_factory=set)  # for highlighting
    positive_prefixes: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return self.root is None


_LEX = re.compile(r'"([^"]*)"?|(\()|(\))|(\S+?)(?=$|\s|\(|\)|")', re.UNICODE)
_AND = {"AND", "I", "&&"}
_OR = {"OR", "LUB", "||", "|"}
_NOT = {"NOT", "NIE"}


def parse(text: str) -> ParsedQuery:
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    tokens = []
    for m in _LEX.finditer(text):
        phrase, lp, rp, word = m.groups()
        if phrase is not None:
            tokens.append(("phrase", phrase))
        elif lp:
            tokens.append(("(", lp))
        elif rp:
            tokens.append((")", rp))
        elif word in _AND:
            tokens.append(("and", word))
        elif word in _OR:
            tokens.append(("or", word))
        elif word in _NOT:
            tokens.append(("not", word))
        elif word:
            tokens.append(("word", word))
    parser = _Parser(tokens)
    root = parser.parse()
    q = ParsedQuery(root=root)
    if root is not None:
        _collect(root, q, positive=True)
    return q


class _Parser:
    """or := and (OR and)* ; and := unary ((AND)? unary)* ; unary := (NOT|-) unary | atom ; atom := (or) | term"""

    def __init__(self, tokens):
        self.tokens, self.i, self.nodes = tokens, 0, 0

    def peek(self):
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self):
        node = self.or_()
        while self.i < len(self.tokens):  # stray ")" or operator: ignore and go on, like a forgiving search box
            self.take()
            more = self.or_()
            node = _and(node, more)
        return node

    def or_(self):
        parts = [self.and_()]
        while self.peek() == "or":
            self.take()
            parts.append(self.and_())
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self):
        parts = []
        while self.peek() not in (None, "or", ")"):
            if self.peek() == "and":
                self.take()
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self):
        kind = self.peek()
        if kind is None:
            return None
        if kind == "not":
            self.take()
            child = self.unary()
            return Not(child) if child is not None else None
        if kind == "(":
            self.take()
            node = self.or_()
            if self.peek() == ")":
                self.take()
            return node
        kind, value = self.take()
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise QuerySyntaxError("too many terms")
        if kind == "phrase":
            ws = T.words(value)
            if not ws:
                return None
            return Phrase(tuple(T.surface(w) for w in ws)) if len(ws) > 1 else Word(ws[0])
        if kind == "word":
            if value.startswith("-") and len(value) > 1:
                child = self._word(value[1:])
                return Not(child) if child is not None else None
            return self._word(value)
        return None

    def _word(self, value):
        value = value.strip(",;:!?")
        if IDENTIFIER_RE.match(value.rstrip(".")):
            value = value.rstrip(".")
            ws = T.words(value)
            return Identifier(fold(value), Phrase(tuple(T.surface(w) for w in ws)))
        if value.endswith("*"):
            ws = T.words(value[:-1])
            if not ws:
                return None
            if len(ws) == 1:
                return Prefix(T.surface(ws[0])) if len(ws[0]) >= 2 else None
            return And((Phrase(tuple(T.surface(w) for w in ws[:-1])), Prefix(T.surface(ws[-1]))))
        ws = T.words(value)
        if not ws:
            return None
        if len(ws) == 1:
            return Word(ws[0])
        return Phrase(tuple(T.surface(w) for w in ws))  # e-mail, 12-345: the parts in order


def _and(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return And((a, b))


def _collect(node, q: ParsedQuery, positive: bool):
    if isinstance(node, Word):
        if positive:
            q.positive_terms.update(node.alternatives())
    elif isinstance(node, Phrase):
        if positive:
            q.positive_terms.update(node.words)
    elif isinstance(node, Prefix):
        if positive:
            q.positive_prefixes.add(node.stem)
    elif isinstance(node, Identifier):
        if positive:
            q.identifiers.append(node.value)
            q.positive_terms.update(node.phrase.words)
    elif isinstance(node, And | Or):
        for child in node.children:
            _collect(child, q, positive)
    elif isinstance(node, Not):
        _collect(node.child, q, not positive)


def is_stopword(node) -> bool:
    return isinstance(node, Word) and T.surface(node.text) in T.STOPWORDS


def without_stopwords(node):
    """Drop stop words from AND lists (they would only make the query slower), unless nothing else is left."""
    if isinstance(node, And):
        kept = [without_stopwords(c) for c in node.children if not is_stopword(c)]
        if not kept:
            return node
        return kept[0] if len(kept) == 1 else And(tuple(kept))
    if isinstance(node, Or):
        return Or(tuple(without_stopwords(c) for c in node.children))
    if isinstance(node, Not):
        return Not(without_stopwords(node.child))
    return node


# --- PostgreSQL --------------------------------------------------------------------------------------------------
def to_tsquery(node) -> str:
    """A tsquery in to_tsquery('simple', …) syntax over the same terms as the index."""
    node = without_stopwords(node)
    return _ts(node)


def _ts(node) -> str:
    if isinstance(node, Word):
        alts = node.alternatives()
        return "(" + " | ".join(T.tsquery_quote(a) for a in alts) + ")" if len(alts) > 1 else T.tsquery_quote(alts[0])
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(T.tsquery_quote(w) for w in node.words) + ")"
    if isinstance(node, Prefix):
        return T.tsquery_quote(node.stem) + ":*"
    if isinstance(node, Identifier):
        return _ts(node.phrase) if len(node.phrase.words) > 1 else T.tsquery_quote(node.phrase.words[0])
    if isinstance(node, And):
        return "(" + " & ".join(_ts(c) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(_ts(c) for c in node.children) + ")"
    if isinstance(node, Not):
        return "!" + _ts(node.child)
    raise TypeError(node)


# --- Elasticsearch -----------------------------------------------------------------------------------------------
def to_es(node, field_: str = "terms", title_field: str = "title_terms") -> dict:
    node = without_stopwords(node)
    return _es(node, field_, title_field)


def _es(node, f, tf) -> dict:
    if isinstance(node, Word):
        should = [{"term": {f: a}} for a in node.alternatives()]
        should += [{"term": {tf: {"value": a, "boost": 2.0}}} for a in node.alternatives()]
        return {"bool": {"should": should, "minimum_should_match": 1}}
    if isinstance(node, Phrase):
        return {"match_phrase": {f: {"query": " ".join(node.words), "analyzer": "whitespace"}}}
    if isinstance(node, Prefix):
        return {"prefix": {f: {"value": node.stem}}}
    if isinstance(node, Identifier):
        return {
            "bool": {
                "should": [
                    {"constant_score": {"filter": {"term": {"identifiers": node.value}}, "boost": 1000.0}},
                    _es(node.phrase, f, tf) if len(node.phrase.words) > 1 else {"term": {f: node.phrase.words[0]}},
                ],
                "minimum_should_match": 1,
            }
        }
    if isinstance(node, And):
        must, must_not = [], []
        for c in node.children:
            if isinstance(c, Not):
                must_not.append(_es(c.child, f, tf))
            else:
                must.append(_es(c, f, tf))
        body = {"must": must} if must else {"must": [{"match_all": {}}]}
        if must_not:
            body["must_not"] = must_not
        return {"bool": body}
    if isinstance(node, Or):
        return {"bool": {"should": [_es(c, f, tf) for c in node.children], "minimum_should_match": 1}}
    if isinstance(node, Not):
        return {"bool": {"must": [{"match_all": {}}], "must_not": [_es(node.child, f, tf)]}}
    raise TypeError(node)
