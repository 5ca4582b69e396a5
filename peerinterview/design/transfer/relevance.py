"""XLSForm "relevant" expressions as PeerInterview show-if conditions, where the app can say it.

A condition in the app is "the answer to an earlier list question is one of these answers", and
all conditions of a question must hold. So an expression can come over when, after working it
out, it says for each question it looks at which answers let the question show:

    selected(${q}, 'a'), ${q} = 'a', ${q} != 'a'        one answer, or all but one
    ${q} > 2, ${q} <= 3 ...                              answers whose values are numbers
    not(...), ... and ..., ... or ...                    "or" only within one question

Anything else (other functions, "or" across questions, conditions on a number or a text answer)
raises Unexpressible; the import then leaves the condition out and says so at the question."""
import re

TOKEN = re.compile(r"\s*(?:(?P<ref>\$\{\s*[A-Za-z_][\w.\-]*\s*\}|(?:\.\./)+[A-Za-z_][\w.\-]*|\.(?![\d.]))"
                   r"|(?P<string>'[^']*'|\"[^\"]*\")|(?P<number>-?\d+(?:\.\d+)?)"
                   r"|(?P<word>[A-Za-z_][\w\-]*)|(?P<op>!=|>=|<=|=|>|<|\(|\)|,))")
COMPARE = {"=": lambda a, b: a == b, "!=": lambda a, b: a != b, ">": lambda a, b: a > b,
           ">=": lambda a, b: a >= b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b}
FLIPPED = {"=": "=", "!=": "!=", ">": "<", ">=": "<=", "<": ">", "<=": ">="}
MAX_EXPRESSION = 2000


class Unexpressible(Exception):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise Unexpressible
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    return tokens


def _ref_name(ref: str, here: str) -> str:
    if ref == ".":
        return here
    if ref.startswith("${"):
        return ref[2:-1].strip()
    return ref.rsplit("/", 1)[-1]


class _Parser:
    """or := and ('or' and)* ; and := unary ('and' unary)* ;
    unary := 'not' '(' or ')' | '(' or ')' | selected '(' ref ',' literal ')' | ref op literal | literal op ref"""

    def __init__(self, tokens, here: str):
        self.tokens, self.index, self.here = tokens, 0, here

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        token = self.peek()
        if token[0] is None or (kind and token[0] != kind) or (value and token[1] != value):
            raise Unexpressible
        self.index += 1
        return token

    def parse(self):
        node = self.either()
        if self.index != len(self.tokens):
            raise Unexpressible
        return node

    def either(self):
        parts = [self.both()]
        while self.peek() == ("word", "or"):
            self.take()
            parts.append(self.both())
        return ("or", parts) if len(parts) > 1 else parts[0]

    def both(self):
        parts = [self.unary()]
        while self.peek() == ("word", "and"):
            self.take()
            parts.append(self.unary())
        return ("and", parts) if len(parts) > 1 else parts[0]

    def unary(self):
        kind, value = self.peek()
        if (kind, value) in (("word", "not"), ("op", "(")):
            self.take()
            if value == "not":
                self.take("op", "(")
            node = self.either()
            self.take("op", ")")
            return ("not", node) if value == "not" else node
        if (kind, value) == ("word", "selected"):
            self.take()
            self.take("op", "(")
            ref = self.take("ref")[1]
            self.take("op", ",")
            literal = self.literal()
            self.take("op", ")")
            return ("selected", _ref_name(ref, self.here), literal)
        return self.comparison()

    def comparison(self):
        kind, value = self.peek()
        if kind == "ref":
            self.take()
            operator = self.take("op")[1]
            return self._compare(_ref_name(value, self.here), operator, self.literal())
        literal = self.literal()
        operator = self.take("op")[1]
        return self._compare(_ref_name(self.take("ref")[1], self.here), FLIPPED.get(operator, ""), literal)

    def _compare(self, name, operator, literal):
        if operator not in COMPARE:
            raise Unexpressible
        return ("compare", name, operator, literal)

    def literal(self):
        kind, value = self.peek()
        if kind not in ("string", "number"):
            raise Unexpressible
        self.take()
        return value[1:-1] if kind == "string" else value


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise Unexpressible


def _allowed(node, sources: dict) -> dict[str, set]:
    """{question: answers that let the question show}; all of them must hold."""
    kind = node[0]
    if kind in ("selected", "compare"):
        return {node[1]: _atom(node, sources)}
    if kind == "and":
        result: dict[str, set] = {}
        for part in node[1]:
            for name, values in _allowed(part, sources).items():
                if name in result and sources[name]["multi"]:
                    raise Unexpressible  # "this and that chosen" is no "one of" condition
                result[name] = result[name] & values if name in result else values
        return result
    parts = [_allowed(part, sources) for part in (node[1] if kind == "or" else [node[1]])]
    names = {name for part in parts for name in part}
    if len(names) != 1 or any(len(part) != 1 for part in parts):
        raise Unexpressible  # "or" across questions, or "not" of an "and" of two questions
    name = names.pop()
    if kind == "or":
        return {name: set().union(*(part[name] for part in parts))}
    if sources[name]["multi"]:
        raise Unexpressible
    return {name: set(sources[name]["values"]) - parts[0][name]}


def _atom(node, sources: dict) -> set:
    name = node[1]
    if name not in sources:
        raise Unexpressible
    source = sources[name]
    if node[0] == "selected":
        return {node[2]} & set(source["values"])
    _kind, _name, operator, literal = node
    if source["multi"] and operator != "=":
        raise Unexpressible
    if operator in ("=", "!="):
        return {value for value in source["values"] if COMPARE[operator](value, literal)}
    bound = _number(literal)
    return {value for value in source["values"] if COMPARE[operator](_number(value), bound)}


def _literal_value(token) -> str:
    return token[1][1:-1] if token[0] == "string" else token[1]


def _is_named(tokens, index: int) -> bool:
    """The literal names one answer (selected(…, 'a'), … = 'a'), not a bound of a comparison."""
    before = tokens[index - 1] if index else (None, None)
    after = tokens[index + 1] if index + 1 < len(tokens) else (None, None)
    return before in (("op", ","), ("op", "="), ("op", "!=")) or after in (("op", "="), ("op", "!="))


def conditions_of(text: str, here: str, sources: dict) -> list[dict]:
    """[{"question": key, "values": [...]}] of a relevant expression. `sources`: the earlier
    list questions, {key: {"values": [choice values in order], "multi": bool}}."""
    text = (text or "").strip()
    if not text:
        return []
    if len(text) > MAX_EXPRESSION:
        raise Unexpressible
    tokens = _tokens(text)
    try:
        allowed = _allowed(_Parser(tokens, here).parse(), sources)
    except RecursionError:  # hundreds of nested brackets: no condition a designer wrote by hand
        raise Unexpressible
    # The answers in the order the expression names them (a round trip keeps the order), then
    # the others in the order of the list.
    named = list(dict.fromkeys(_literal_value(token) for index, token in enumerate(tokens)
                               if token[0] in ("string", "number") and _is_named(tokens, index)))
    conditions = []
    for name, values in allowed.items():
        if not values:
            raise Unexpressible  # never shown: not a condition a designer meant
        order = named + [value for value in sources[name]["values"] if value not in named]
        conditions.append({"question": name, "values": sorted(values, key=order.index)})
    return conditions
