"""The QuickBooks Online query language (the subset clients use).

https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries

    SELECT * | COUNT(*) | Field, Field FROM Entity
      [WHERE expr [AND expr ...]]        expr: Field (=|<|>|<=|>=|!=) value | Field IN (v, ...) | Field LIKE '%v%'
      [ORDERBY Field [ASC|DESC] [, ...]] ("ORDER BY" is accepted too)
      [STARTPOSITION n] [MAXRESULTS n]

There is no OR, no JOIN, no GROUP BY: QuickBooks answers those with fault 4000, and so do we.
Strings are single-quoted; a quote inside is escaped with a backslash.
"""

import re
from dataclasses import dataclass, field

from . import faults
from .clock import parse_iso

DEFAULT_MAX_RESULTS = 100
MAX_MAX_RESULTS = 1000

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:\\.|[^'\\])*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op><=|>=|!=|<>|=|<|>)
      | (?P<punct>[(),*])
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)

KEYWORDS = {"select", "from", "where", "and", "or", "in", "like", "orderby", "order", "by",
            "startposition", "maxresults", "asc", "desc", "count", "not", "join", "group"}


@dataclass
class Condition:
    field: str
    op: str
    value: object


@dataclass
class Query:
    entity: str
    count: bool = False
    fields: list = field(default_factory=list)
    conditions: list = field(default_factory=list)
    order: list = field(default_factory=list)
    start_position: int = 1
    max_results: int = DEFAULT_MAX_RESULTS


def tokenize(text):
    tokens = []
    position = 0
    text = text.strip().rstrip(";")
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            if text[position:].strip() == "":
                break
            raise faults.query_parse_error(f"Encountered \"{text[position:position + 10]}\" at column {position + 1}.")
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "number":
            value = float(value) if "." in value else int(value)
        tokens.append((kind, value))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.index = 0

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def peek_word(self):
        kind, value = self.peek()
        return value.lower() if kind == "word" else None

    def take(self):
        token = self.peek()
        self.index += 1
        return token

    def expect_word(self, word):
        kind, value = self.take()
        if kind != "word" or value.lower() != word:
            raise faults.query_parse_error(f"Expected {word.upper()} but found {value!r}.")

    def value(self):
        kind, value = self.take()
        if kind in ("string", "number"):
            return value
        if kind == "word" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise faults.query_parse_error(f"Expected a value but found {value!r}.")


def parse(text):
    tokens = tokenize(text)
    parser = _Parser(tokens)
    parser.expect_word("select")
    query = Query(entity="")
    kind, value = parser.peek()
    if kind == "punct" and value == "*":
        parser.take()
    elif parser.peek_word() == "count":
        parser.take()
        for expected in ("(", "*", ")"):
            kind, value = parser.take()
            if value != expected:
                raise faults.query_parse_error("COUNT takes (*) only.")
        query.count = True
    else:
        while True:
            kind, value = parser.take()
            if kind != "word":
                raise faults.query_parse_error(f"Expected a field name but found {value!r}.")
            query.fields.append(value)
            if parser.peek() == ("punct", ","):
                parser.take()
                continue
            break
    # "SELECT *, Sku FROM Item" is what python-quickbooks sends for Item.all().
    while parser.peek() == ("punct", ","):
        parser.take()
        parser.take()
    parser.expect_word("from")
    kind, value = parser.take()
    if kind != "word":
        raise faults.query_parse_error("Expected an entity name after FROM.")
    query.entity = value
    while parser.peek()[0] is not None:
        word = parser.peek_word()
        if word == "where":
            parser.take()
            _parse_conditions(parser, query)
        elif word in ("orderby", "order"):
            parser.take()
            if word == "order":
                parser.expect_word("by")
            _parse_order(parser, query)
        elif word == "startposition":
            parser.take()
            query.start_position = _positive_int(parser.value(), "STARTPOSITION")
        elif word == "maxresults":
            parser.take()
            query.max_results = _positive_int(parser.value(), "MAXRESULTS")
            if query.max_results > MAX_MAX_RESULTS:
                # QuickBooks refuses a page above 1,000 rows rather than capping it.
                raise faults.validation("4001", "Invalid query", f"QueryValidationError: value {query.max_results} "
                                        f"is too large. Max allowed value is: {MAX_MAX_RESULTS}")
        else:
            raise faults.query_parse_error(f"Encountered \"{parser.peek()[1]}\" which is not supported here.")
    return query


def _positive_int(value, clause):
    if not isinstance(value, int) or value < 1:
        raise faults.query_parse_error(f"{clause} must be a positive integer.")
    return value


def _parse_conditions(parser, query):
    while True:
        kind, name = parser.take()
        if kind != "word" or name.lower() in KEYWORDS:
            raise faults.query_parse_error(f"Expected a field name but found {name!r}.")
        word = parser.peek_word()
        if word == "in":
            parser.take()
            if parser.take() != ("punct", "("):
                raise faults.query_parse_error("IN must be followed by a list in parentheses.")
            values = []
            while True:
                values.append(parser.value())
                kind, value = parser.take()
                if value == ")":
                    break
                if value != ",":
                    raise faults.query_parse_error("Expected , or ) in the IN list.")
            query.conditions.append(Condition(name, "in", values))
        elif word == "like":
            parser.take()
            value = parser.value()
            if not isinstance(value, str):
                raise faults.query_parse_error("LIKE needs a quoted string.")
            query.conditions.append(Condition(name, "like", value))
        else:
            kind, op = parser.take()
            if kind != "op":
                raise faults.query_parse_error(f"Expected an operator after {name} but found {op!r}.")
            query.conditions.append(Condition(name, "!=" if op == "<>" else op, parser.value()))
        following = parser.peek_word()
        if following == "and":
            parser.take()
            continue
        if following == "or":
            raise faults.query_parse_error("OR is not supported in QuickBooks queries.")
        break


def _parse_order(parser, query):
    while True:
        kind, name = parser.take()
        if kind != "word":
            raise faults.query_parse_error("Expected a field name after ORDERBY.")
        direction = "asc"
        if parser.peek_word() in ("asc", "desc"):
            direction = parser.take()[1].lower()
        query.order.append((name, direction))
        if parser.peek() == ("punct", ","):
            parser.take()
            continue
        break


# -- evaluation ----------------------------------------------------------------------------


def field_value(obj, path):
    """Resolve ``MetaData.LastUpdatedTime`` or ``CustomerRef`` (a reference compares by id)."""
    current = obj
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        match = next((key for key in current if key.lower() == part.lower()), None)
        if match is None:
            return None
        current = current[match]
    if isinstance(current, dict) and "value" in current:
        return current["value"]
    return current


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _comparable(left, right):
    """Bring a stored value and a query literal to a common, comparable form."""
    if isinstance(right, bool) or isinstance(left, bool):
        return (str(left).lower() == "true") if not isinstance(left, bool) else left, right
    if isinstance(right, (int, float)):
        try:
            return float(left), float(right)
        except (TypeError, ValueError):
            return str(left), str(right)
    if isinstance(left, str) and isinstance(right, str) and _DATE_RE.match(left) and _DATE_RE.match(right):
        try:
            if len(left) == 10 and len(right) == 10:
                return left, right
            return parse_iso(left), parse_iso(right)
        except ValueError:
            pass
    if isinstance(left, (int, float)):
        try:
            return float(left), float(right)
        except (TypeError, ValueError):
            pass
    return ("" if left is None else str(left)).lower(), str(right).lower()


def _like(value, pattern):
    regex = "^" + ".*".join(re.escape(part) for part in pattern.lower().split("%")) + "$"
    return re.match(regex, "" if value is None else str(value).lower(), re.DOTALL) is not None


def _expanded(obj, path):
    """Every value of ``path`` when it crosses a list (``AttachableRef.EntityRef.value``)."""
    current = [obj]
    for part in path.split("."):
        following = []
        for node in current:
            for item in (node if isinstance(node, list) else [node]):
                if isinstance(item, dict):
                    match = next((key for key in item if key.lower() == part.lower()), None)
                    if match is not None:
                        following.append(item[match])
        current = following
    flat = []
    for node in current:
        for item in (node if isinstance(node, list) else [node]):
            flat.append(item["value"] if isinstance(item, dict) and "value" in item else item)
    return flat


def matches(obj, condition):
    value = field_value(obj, condition.field)
    if value is None and "." in condition.field:
        candidates = _expanded(obj, condition.field)
        if len(candidates) > 1 or (candidates and candidates[0] is not None):
            return any(matches({"v": candidate}, Condition("v", condition.op, condition.value))
                       for candidate in candidates)
    if condition.field.lower() == "id":
        return _matches_id(value, condition)
    if condition.op == "in":
        return any(_equal(value, candidate) for candidate in condition.value)
    if condition.op == "like":
        return _like(value, condition.value)
    if value is None:
        return condition.op == "!="
    left, right = _comparable(value, condition.value)
    try:
        return {
            "=": left == right,
            "!=": left != right,
            "<": left < right,
            ">": left > right,
            "<=": left <= right,
            ">=": left >= right,
        }[condition.op]
    except TypeError:
        return False


def _matches_id(value, condition):
    try:
        left = int(value)
        right = [int(v) for v in condition.value] if condition.op == "in" else int(condition.value)
    except (TypeError, ValueError):
        return False
    if condition.op == "in":
        return left in right
    return {"=": left == right, "!=": left != right, "<": left < right, ">": left > right,
            "<=": left <= right, ">=": left >= right}.get(condition.op, False)


def _equal(value, candidate):
    left, right = _comparable(value, candidate)
    return left == right


def sort_key_for(name):
    """Sort as QuickBooks (and the SQL path below) does: absent values first, JSON numbers
    (and Id) by value, text case-insensitively and as text (DocNumber "999" sorts after
    "1001")."""
    numeric = name.lower() == "id"

    def key(obj):
        value = field_value(obj, name)
        if value is None:
            return (0, 0, "")
        if isinstance(value, bool):
            return (1, int(value), "")
        if isinstance(value, (int, float)):
            return (1, value, "")
        if numeric:
            try:
                return (1, float(value), "")
            except (TypeError, ValueError):
                pass
        return (2, 0, str(value).lower())
    return key
