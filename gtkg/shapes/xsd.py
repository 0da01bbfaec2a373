"""Ill-formed literals: SPARQL tests of a literal's lexical form against its XSD datatype (XSD 1.1 Part 2).

sh:datatype fails a literal of the right datatype whose lexical form is not in the datatype's lexical space
("c"^^xsd:byte, "300"^^xsd:byte, "2020-02-30"^^xsd:date). SPARQL cannot tell by itself, so each datatype that
RDF 1.1 lists as usable in RDF gets a regular expression of its lexical space, its value range (the bounded
integer types) and, for dates, a cast that checks the calendar. Other datatypes are checked by their IRI only.
"""

import calendar
import re
from functools import cache

from rdflib import Literal

from gtkg.ontology import XSD

_TZ = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_MONTH, _DAY = r"(0[1-9]|1[0-2])", r"(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_DATE_TIME = rf"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}"
_YM = r"([0-9]+Y([0-9]+M)?|[0-9]+M)"
_DT = r"([0-9]+D(T([0-9]+H([0-9]+M)?([0-9]+(\.[0-9]+)?S)?|[0-9]+M([0-9]+(\.[0-9]+)?S)?|[0-9]+(\.[0-9]+)?S))?|" \
      r"T([0-9]+H([0-9]+M)?([0-9]+(\.[0-9]+)?S)?|[0-9]+M([0-9]+(\.[0-9]+)?S)?|[0-9]+(\.[0-9]+)?S))"
_INTEGER = r"[+-]?[0-9]+"
_NAME_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
               "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_NAME = rf"{_NAME_START}\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
_B64 = "[A-Za-z0-9+/]"

LEXICAL = {
    "boolean": "true|false|1|0",
    "decimal": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "float": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN",
    "double": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN",
    **dict.fromkeys(("integer", "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
                     "unsignedByte"), _INTEGER),
    "nonNegativeInteger": r"\+?[0-9]+|-0+",
    "positiveInteger": r"\+?0*[1-9][0-9]*",
    "nonPositiveInteger": r"-[0-9]+|\+?0+",
    "negativeInteger": r"-0*[1-9][0-9]*",
    "dateTime": _DATE_TIME + _TZ,
    "dateTimeStamp": _DATE_TIME + _TZ.removesuffix("?"),
    "date": rf"{_YEAR}-{_MONTH}-{_DAY}{_TZ}",
    "time": _TIME + _TZ,
    "gYear": _YEAR + _TZ,
    "gYearMonth": rf"{_YEAR}-{_MONTH}{_TZ}",
    "gMonth": rf"--{_MONTH}{_TZ}",
    "gDay": rf"---{_DAY}{_TZ}",
    "gMonthDay": rf"--(02-(0[1-9]|[12][0-9])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|(0[13578]|1[02])-{_DAY}){_TZ}",
    "duration": rf"-?P({_YM}{_DT}?|{_DT})",
    "yearMonthDuration": rf"-?P{_YM}",
    "dayTimeDuration": rf"-?P{_DT}",
    "hexBinary": "([0-9a-fA-F]{2})*",
    "base64Binary": rf"(({_B64} ?){{4}})*(({_B64} ?){{3}}{_B64}|({_B64} ?){{2}}[AEIMQUYcgkosw048] ?=|"
                    rf"{_B64} ?[AQgw] ?= ?=)?",
    "normalizedString": "[^\r\n\t]*",
    "token": "([^ \r\n\t]+( [^ \r\n\t]+)*)?",
    "language": "[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*",
    "NMTOKEN": f"[:{_NAME}]+",
    "Name": f"[:{_NAME_START}][:{_NAME}]*",
    "NCName": f"[{_NAME_START}][{_NAME}]*",
}
RANGES = {"byte": (-128, 127), "short": (-32768, 32767), "int": (-2**31, 2**31 - 1), "long": (-2**63, 2**63 - 1),
          "unsignedByte": (0, 255), "unsignedShort": (0, 65535), "unsignedInt": (0, 2**32 - 1),
          "unsignedLong": (0, 2**64 - 1)}
CALENDAR = {"date": "date", "dateTime": "dateTime", "dateTimeStamp": "dateTime"}  # casts that check the day


_YEAR_MONTH_DAY = re.compile(r"(-?[0-9]+)-([0-9]{2})-([0-9]{2})")


def _name(datatype) -> str | None:
    name = str(datatype).removeprefix(str(XSD))
    return name if name in LEXICAL and str(datatype).startswith(str(XSD)) else None


@cache
def _pattern(name: str) -> re.Pattern:
    return re.compile(LEXICAL[name])


def is_ill_formed(lexical: str, datatype) -> bool:
    """The same test in Python, for the literals that pySHACL checks (False for datatypes not known here)."""
    name = _name(datatype)
    if name is None:
        return False
    if not _pattern(name).fullmatch(lexical):
        return True
    if name in RANGES:
        low, high = RANGES[name]
        return not low <= int(lexical) <= high
    if name in CALENDAR:
        year, month, day = map(int, _YEAR_MONTH_DAY.match(lexical).groups())
        return day > calendar.monthrange(year if 1 <= year <= 9999 else 2000 + year % 400, month)[1]
    return False


def ill_formed(datatype) -> str | None:
    """A SPARQL expression over ?value, true when its lexical form is not one of `datatype` (None: not known)."""
    name = _name(datatype)
    if name is None:
        return None
    tests = [f"!REGEX(STR(?value), {Literal(f'^({LEXICAL[name]})$').n3()})"]
    if name in RANGES:  # as decimals: an xsd:integer in the store has 64 bits, too few for unsignedLong
        low, high = RANGES[name]
        number = f"<{XSD.decimal}>(STR(?value))"
        tests.append(f"!COALESCE({number} >= {low}.0 && {number} <= {high}.0, false)")
    if name in CALENDAR:  # the day exists (no February 30)
        tests.append(f"!COALESCE(isLiteral(<{XSD[CALENDAR[name]]}>(STR(?value))), false)")
    return " || ".join(tests)
