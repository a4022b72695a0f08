"""A small content-model checker for qbXML requests (the models themselves are in ``spec.py``).

QuickBooks' request processor validates a whole message set against the qbXML schema before it
processes any request in it, and refuses the set with HRESULT 0x80040400 ("QuickBooks found an error
when parsing the provided XML text stream.") when an element is unknown, missing or out of order
(qbwc/qbxml#14; NodeGeeks/loopback-connector-quickbooks#14).  ``parse`` does that check and turns a
request element into plain Python values: a dict per aggregate, a list where the schema allows more
than one occurrence, and the raw text of each value (values are converted, with their own status
codes, by the request handlers).
"""

import re

SCALARS = frozenset({"STR", "ID", "BOOL", "AMT", "DATE", "DATETIME", "INT", "PRICE", "PERCENT", "QUAN",
                     "FLOAT", "GUID", "ENUM", "TIMEINTERVAL", "MACRO", "EMPTY"})


class SchemaError(Exception):
    """The message set does not follow the schema: the whole set is refused (0x80040400)."""


class E:
    def __init__(self, name, kind, min_occurs=0, max_occurs=1, max_length=None, enum=None):
        self.name = name
        self.kind = kind
        self.min = min_occurs
        self.max = max_occurs
        self.max_length = max_length
        self.enum = enum
        self.multi = max_occurs != 1  # stored as a list (set again by the enclosing Model)

    def first(self):
        return {self.name}

    def nullable(self):
        return self.min == 0


class _Group:
    def __init__(self, min_occurs, max_occurs, items):
        self.min = min_occurs
        self.max = max_occurs
        self.items = items
        self._first = None


class Seq(_Group):
    def first(self):
        if self._first is None:
            names = set()
            for item in self.items:
                names |= item.first()
                if not item.nullable():
                    break
            self._first = names
        return self._first

    def nullable(self):
        return self.min == 0 or all(item.nullable() for item in self.items)


class Choice(_Group):
    def first(self):
        if self._first is None:
            self._first = set().union(*(item.first() for item in self.items))
        return self._first

    def nullable(self):
        return self.min == 0 or any(item.nullable() for item in self.items)


class Model:
    """An aggregate: its allowed attributes and the sequence of its children."""

    def __init__(self, attributes, items=None):
        if items is None:
            attributes, items = (), attributes
        self.attributes = frozenset(attributes)
        self.items = items
        self.lengths = {}
        for item in _walk(items):
            if isinstance(item, E) and item.max_length:
                self.lengths[item.name] = item.max_length
        _mark_repeated(items, False)


class TextModel:
    """A value that also carries attributes (``<TxnID useMacro="...">``)."""

    def __init__(self, kind, attributes):
        self.kind = kind
        self.attributes = frozenset(attributes)


def ref(max_length=None):
    return Model([E("ListID", "ID"), E("FullName", "STR", max_length=max_length)])


def text(kind, attributes):
    return TextModel(kind, attributes)


def _mark_repeated(items, repeated):
    """An element inside a repeatable group repeats too: its values are kept in a list."""
    for item in items:
        if isinstance(item, E):
            item.multi = repeated or item.max != 1
        else:
            _mark_repeated(item.items, repeated or item.max != 1)


def _walk(items):
    for item in items:
        yield item
        if isinstance(item, _Group):
            yield from _walk(item.items)


def _local(element):
    tag = element.tag
    if not isinstance(tag, str):
        return None
    return tag


class Parser:
    """``Parser(models).parse(element, "CustomerAddRq")`` -> dict, or raises SchemaError."""

    def __init__(self, models):
        self.models = models

    def parse(self, element, model_name):
        """The request as plain values, and the (field, value) pairs longer than the schema allows
        (QuickBooks answers those with 3070, request by request)."""
        model = self.models[model_name]
        too_long = []
        return self._aggregate(element, model, model_name, too_long), too_long

    # -- internals ---------------------------------------------------------------------------

    def _aggregate(self, element, model, path, too_long):
        if isinstance(model, TextModel):
            self._check_attributes(element, model.attributes, path)
            return self._scalar(element, model.kind, path)
        self._check_attributes(element, model.attributes, path)
        if element.text and element.text.strip():
            raise SchemaError(f"{path}: text is not allowed in an aggregate")
        children = []
        for child in element:
            if _local(child) is None:
                continue  # comments and processing instructions
            if child.tail and child.tail.strip():
                raise SchemaError(f"{path}: text is not allowed in an aggregate")
            children.append(child)
        result = {}
        index = self._sequence(model.items, children, 0, result, path, too_long)
        if index < len(children):
            raise SchemaError(f"{path}: element <{children[index].tag}> is not expected here")
        return result

    @staticmethod
    def _check_attributes(element, allowed, path):
        for name in element.attrib:
            if name not in allowed:
                raise SchemaError(f"{path}: attribute {name!r} is not allowed")

    def _sequence(self, items, children, index, result, path, too_long):
        for item in items:
            index = self._repeat(item, children, index, result, path, too_long)
        return index

    def _repeat(self, item, children, index, result, path, too_long):
        count = 0
        while (item.max is None or count < item.max) and index < len(children) \
                and children[index].tag in item.first():
            index = self._once(item, children, index, result, path, too_long)
            count += 1
        if count < item.min and not (count == 0 and isinstance(item, _Group) and item.nullable()):
            found = f"<{children[index].tag}>" if index < len(children) else "the end of the aggregate"
            expected = ", ".join(sorted(item.first()))
            raise SchemaError(f"{path}: expected {expected}, found {found}")
        return index

    def _once(self, item, children, index, result, path, too_long):
        if isinstance(item, E):
            child = children[index]
            value = self._element(child, item, f"{path}/{item.name}", too_long)
            if not item.multi:
                result[item.name] = value
            else:
                result.setdefault(item.name, []).append(value)
            return index + 1
        if isinstance(item, Seq):
            return self._sequence(item.items, children, index, result, path, too_long)
        tag = children[index].tag
        for alternative in item.items:
            if tag in alternative.first():
                return self._once_or_repeat(alternative, children, index, result, path, too_long)
        raise SchemaError(f"{path}: element <{tag}> is not expected here")  # pragma: no cover

    def _once_or_repeat(self, item, children, index, result, path, too_long):
        if isinstance(item, E):
            return self._repeat(item, children, index, result, path, too_long)
        return self._once(item, children, index, result, path, too_long)

    def _element(self, element, item, path, too_long):
        if item.kind.startswith("@"):
            return self._aggregate(element, self.models[item.kind[1:]], path, too_long)
        if element.attrib:
            raise SchemaError(f"{path}: attributes are not allowed")
        value = self._scalar(element, item.kind, path)
        if item.enum and value not in item.enum:
            raise SchemaError(f"{path}: {value!r} is not one of {', '.join(item.enum)}")
        if item.max_length and len(value) > item.max_length:
            too_long.append((item.name, value))
        return value

    @staticmethod
    def _scalar(element, kind, path):
        if any(_local(child) is not None for child in element):
            raise SchemaError(f"{path}: elements are not allowed in a value")
        value = "".join(element.itertext())
        if kind == "EMPTY":
            if value.strip():
                raise SchemaError(f"{path}: must be empty")
            return True
        if kind == "GUID" and not _is_guid(value):
            raise SchemaError(f"{path}: {value!r} is not a GUID ({{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}} or 0)")
        return value


def _is_guid(value):
    return bool(re.fullmatch(r"0|\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}", value.strip()))
