"""Log records that cannot forge other records.

A value a user controls (a typed user name, a request path) may hold a line break; written as
it is, ``"x\\nINFO ishc.security login user=admin"`` becomes a second, genuine-looking line.
:class:`EscapingFormatter`, the formatter of every handler in ``config.settings.LOGGING`` (and of
gunicorn's logs through ``config.gunicorn_logs``), writes each record as one line: control
characters (C0, DEL, C1, and the Unicode line and paragraph separators) and the backslash are
escaped in the formatted line, ``\\n`` as the two characters ``\\`` ``n``. A traceback or stack
keeps its lines, each indented by two spaces and escaped the same way, so that no line of it
can be read as the start of a record (OWASP ASVS 4.0 V7.3.1, log injection; CWE-117).

This module imports nothing from Django, so gunicorn's master process can load it.
"""

import logging
import re

# C0 controls, DEL, C1 controls, U+2028/U+2029 (str.splitlines breaks on these) and the
# backslash itself, so that an escaped "\n" never looks like a typed one.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\\]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escape_one(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_control(text: str) -> str:
    """``text`` with every control character escaped: ``"a\\nb\\r"`` → ``a\\nb\\r`` written
    with backslashes (one line), ``"\\x1b"`` → ``\\x1b``, U+2028 → ``\\u2028``, ``"\\\\"`` →
    ``\\\\``. Printable text, Vietnamese letters included, is unchanged."""
    return _UNSAFE.sub(_escape_one, text)


class EscapingFormatter(logging.Formatter):
    """A ``logging.Formatter`` (same ``fmt``/``datefmt``/``style`` arguments) whose record is one
    line with its control characters escaped (:func:`escape_control`); an exception's traceback
    and a stack follow on lines indented by two spaces, escaped the same way."""

    def format(self, record: logging.LogRecord) -> str:
        record.message = record.getMessage()
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        text = escape_control(self.formatMessage(record))
        blocks = []
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            blocks.append(record.exc_text)
        if record.stack_info:
            blocks.append(self.formatStack(record.stack_info))
        for block in blocks:
            for line in block.split("\n"):
                text += "\n  " + escape_control(line)
        return text
