"""Raw scraped text (or HTML) → metadata (title, source, read time, authors, date) + clean body.

Steps: ftfy repair (curly quotes kept) → HTML through trafilatura when the input is markup →
line rules over the header block (title, source line, "N Min Read", "By …", dates) →
boilerplate lines dropped anywhere (share/comment/subscribe/related/newsletter/cookie/ads,
repeated source and read-time lines) → whitespace normalised (lines stripped, inner runs of
spaces collapsed, paragraphs separated by exactly one blank line; hard-wrapped lines re-joined).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

import ftfy
import regex

from app.extraction.types import CleanedText

MAX_INPUT_CHARS = 2_000_000

READ_TIME_RE = regex.compile(
    r"^(?:(?P<pre>.{1,80}?)\s*[|·•\-–—]?\s+)?(?P<n>\d{1,3})[\s\-]*(?:min(?:ute)?s?\.?)\s*read$"
    r"|^(?:reading\s+time|read\s+time)\s*:?\s*(?P<n2>\d{1,3})\s*min(?:ute)?s?\.?$",
    regex.IGNORECASE,
)
#: every read-time line holds "min" (a cheap search before the pattern, same case rules)
READ_TIME_HINT_RE = regex.compile(r"min", regex.IGNORECASE)
BOILERPLATE_RE = regex.compile(
    r"""^(?:
        share\s+(?:this|on|via|the)\b.{0,40}
      | share | tweet | email | print | copy\s+link | whatsapp | facebook | twitter | x | linkedin
      | telegram | reddit | pinterest
      | leave\s+a\s+(?:comment|reply).{0,20}
      | \d*\s*comments?(?:\s*\(\d+\))?
      | (?:post\s+a\s+|add\s+a\s+|view\s+|show\s+)comments?.{0,20}
      | subscribe\b.{0,80} | sign\s+up\b.{0,80} | join\s+our\b.{0,80}
      | (?:get|receive)\s+(?:our|the)\s+(?:latest|daily|free|weekly)?\s*newsletter.{0,60}
      | newsletter.{0,60}
      | related(?:\s+(?:articles?|posts?|stories|news|content|topics|coverage))?\s*:?
      | (?:read|see)\s+(?:more|also)\s*:?.{0,120}
      | more\s+(?:from|on)\b.{0,40}
      | advertisement | advertising | sponsored(?:\s+content)? | ad | ads
      | (?:we|this\s+site)\s+uses?\s+cookies.{0,200} | accept(?:\s+all)?\s+cookies.{0,40}
      | cookie\s+(?:policy|settings|preferences).{0,40}
      | follow\s+us\b.{0,60} | click\s+here\b.{0,80}
      | all\s+rights\s+reserved.{0,40} | ©.{0,80} | copyright\s+©?.{0,80}
      | tags?\s*:.{0,200} | filed\s+under\s*:?.{0,120}
      | (?:previous|next)\s+(?:article|post|story)\s*:?.{0,150}
      | back\s+to\s+top | skip\s+to\s+(?:main\s+)?content | loading\.* | photo\s*:\s*.{0,80}
    )$""",
    regex.IGNORECASE | regex.VERBOSE,
)
TAIL_SECTION_RE = regex.compile(
    r"^(?:related(?:\s+(?:articles?|posts?|stories|news))?|you\s+may\s+also\s+like|"
    r"recommended(?:\s+for\s+you)?|more\s+stories|most\s+read|trending(?:\s+now)?|"
    r"latest\s+news)\s*:?$",
    regex.IGNORECASE,
)
AUTHOR_RE = regex.compile(
    r"^(?:by|written\s+by|author\s*:)\s+(?P<a>[^\d]{2,120})$", regex.IGNORECASE
)
SOURCE_RE = regex.compile(
    r"^(?:source|published\s+by|publisher)\s*:\s*(?P<s>.{2,80})$", regex.IGNORECASE
)
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
DATE_RES = [
    regex.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<M>\d{2}))?"),
    regex.compile(
        r"(?i)(?P<mon>[a-z]{3,9})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})"
        r"(?:,?\s+(?:at\s+)?(?P<H>\d{1,2}):(?P<M>\d{2})\s*(?P<ap>[ap]\.?m\.?)?)?"
    ),
    regex.compile(
        r"(?i)(?P<d>\d{1,2})\s+(?P<mon>[a-z]{3,9})\.?,?\s+(?P<y>\d{4})"
        r"(?:,?\s+(?:at\s+)?(?P<H>\d{1,2}):(?P<M>\d{2})\s*(?P<ap>[ap]\.?m\.?)?)?"
    ),
]
DATE_LINE_RE = regex.compile(
    r"(?i)^(?:published|updated|posted|date)?\s*:?\s*(?:on\s+)?(?:[a-z]+day,?\s+)?"
    r"[\w ,.:\-]{6,60}$"
)
HTML_RE = regex.compile(r"(?i)<(?:html|body|article|div|p|h1|head|main|section)\b[^>]{0,200}>")
BLANK_RUN_RE = regex.compile(r"\n[^\S\n]*+(?:\n[^\S\n]*+)++")
SENTENCE_END = (".", "!", "?", "”", '"', "’", ":", "…", ")")


# What ftfy could change: C1 controls and the Latin-1 letters that mojibake is made of, the
# replacement character, odd line separators, ligatures, full-width forms, lone surrogates,
# invisible format characters, other C0 controls, carriage returns and HTML entities.
NEEDS_FTFY_RE = re.compile(  # plain code-point ranges: `re` scans them twice as fast as `regex`
    "[\u0080-\u009f\u00c2-\u00f4\ufffd\u2028\u2029\ufb00-\ufb06\uff01-\uff5e"
    "\ud800-\udfff\ufeff\u206a-\u206f\ufff9-\ufffc\U000e0000-\U000e007f]"
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\r]|&[#a-zA-Z0-9]{1,10};"
)


def fix_text(text: str) -> str:
    """Repair mojibake/control characters; curly quotes are kept (they matter for quotes).

    Text with nothing ftfy could change (checked by one scan and an NFC test, both in C) is
    returned as it is: ftfy costs about 1 ms per 1,000 characters even when it changes nothing.
    Otherwise the segments of ``ftfy.fix_text`` (lines) are walked here as it walks them, and
    only those with something to change are handed to ftfy: one stray "é" no longer costs a
    pass over the whole article.
    """
    if _unchanged_by_ftfy(text):
        return text
    config = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)
    out: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        brk = text.find("\n", pos) + 1 or n
        brk = min(brk, pos + config.max_decode_length)
        segment = text[pos:brk]
        if config.unescape_html == "auto" and "<" in segment:
            config = config._replace(unescape_html=False)  # as ftfy.fix_text does
        out.append(
            segment if _unchanged_by_ftfy(segment) else ftfy.fix_and_explain(segment, config)[0]
        )
        pos = brk
    return "".join(out)


def _unchanged_by_ftfy(text: str) -> bool:
    return NEEDS_FTFY_RE.search(text) is None and unicodedata.is_normalized("NFC", text)


def parse_date(text: str) -> datetime | None:
    """First date in ``text`` (UTC) or None."""
    for rx in DATE_RES:
        m = rx.search(text)
        if not m:
            continue
        gd = m.groupdict()
        try:
            if gd.get("mon") is not None:
                mon = MONTHS.get(gd["mon"].lower())
                if mon is None:
                    continue
            else:
                mon = int(gd["m"])
            hour = int(gd["H"]) if gd.get("H") else 0
            minute = int(gd["M"]) if gd.get("M") else 0
            ap = (gd.get("ap") or "").lower().replace(".", "")
            if ap == "pm" and hour < 12:
                hour += 12
            elif ap == "am" and hour == 12:
                hour = 0
            return datetime(int(gd["y"]), mon, int(gd["d"]), hour, minute, tzinfo=UTC)
        except ValueError:
            continue
    return None


def _read_time(line: str) -> regex.Match[str] | None:
    """``READ_TIME_RE.match(line)``, skipped for lines without "min" (most body lines)."""
    return READ_TIME_RE.match(line) if READ_TIME_HINT_RE.search(line) else None


def _norm_line(line: str) -> str:
    return " ".join(line.split())


def _is_body_line(line: str) -> bool:
    if len(line) > 300:
        return True
    n_words = len(line.split())
    return n_words >= 12 or (n_words >= 6 and line.endswith(SENTENCE_END))


WRAP_END_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "from", "by", "with"]
)


def _next_line(lines: list[str], i: int) -> str:
    """The line right after line ``i`` ("" at the end; a blank line ends a paragraph)."""
    return lines[i + 1] if i + 1 < len(lines) else ""


def _continues(line: str, nxt: str) -> bool:
    """Whether ``line`` is cut mid-sentence and goes on in ``nxt`` (hard-wrapped text).

    A title or source line is complete: it does not end with a comma, a hyphen or a word like
    "and"/"of", and the line after it does not start in lower case.
    """
    if not nxt or line.endswith(SENTENCE_END):
        return False
    if nxt[:1].islower():
        return True
    last = line.rsplit(" ", 1)[-1]  # lower case only: a title-case headline may end in "In"
    return line.endswith((",", "-")) or (last in WRAP_END_WORDS and len(line.split()) > 1)


def _html_to_text(
    text: str,
) -> tuple[str, str | None, str | None, tuple[str, ...], datetime | None]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, favor_precision=True
    )
    if doc is None:
        return text, None, None, (), None
    body = getattr(doc, "text", None) or ""
    title = getattr(doc, "title", None)
    site = getattr(doc, "sitename", None)
    author = getattr(doc, "author", None)
    date = getattr(doc, "date", None)
    authors = tuple(a.strip() for a in author.split(";") if a.strip()) if author else ()
    published = parse_date(date) if date else None
    return body, title, site, authors, published


def clean(raw: str) -> CleanedText:
    """Parse raw scraped text (or HTML) into metadata and a clean body."""
    if not raw or not raw.strip():
        raise ValueError("text is empty or whitespace only")
    # collapse runs of blank lines first: ftfy works line by line
    text = fix_text(BLANK_RUN_RE.sub("\n\n", raw[:MAX_INPUT_CHARS]))
    title: str | None = None
    source: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    read_time: int | None = None
    if HTML_RE.search(text[:5000]):
        text, title, source, authors, published = _html_to_text(text)
    lines = [_norm_line(x) for x in text.replace("\r", "\n").split("\n")]
    # header block: title, source, read time, author and date lines before the body
    drop_exact: set[str] = set()
    first_body = len(lines)
    seen_title = title is not None
    for i, ln in enumerate(lines):
        if not ln:
            continue
        if _is_body_line(ln) and (seen_title or len(ln) > 300):
            first_body = i
            break
        rt = _read_time(ln)
        if rt:
            n = rt.group("n") or rt.group("n2")
            read_time = read_time or int(n)
            pre = (rt.group("pre") or "").strip(" |·•-–—")
            if pre and source is None:
                source = pre
            drop_exact.add(ln)
            continue
        am = AUTHOR_RE.match(ln)
        if am and len(ln.split()) <= 12:
            authors = authors or tuple(
                a.strip() for a in regex.split(r",|\band\b", am.group("a")) if a.strip()
            )
            drop_exact.add(ln)
            continue
        sm = SOURCE_RE.match(ln)
        if sm:
            source = source or sm.group("s").strip()
            drop_exact.add(ln)
            continue
        if DATE_LINE_RE.match(ln) and parse_date(ln) is not None and len(ln.split()) <= 10:
            published = published or parse_date(ln)
            drop_exact.add(ln)
            continue
        if BOILERPLATE_RE.match(ln):
            continue
        if _continues(ln, _next_line(lines, i)):
            first_body = i  # a hard-wrapped excerpt: its first line is text, not a title
            break
        if not seen_title:
            title, seen_title = ln, True
            drop_exact.add(ln)
            continue
        if len(ln.split()) <= 6 and not ln.endswith((".", "!", "?")):
            if source is None:
                source = ln
            drop_exact.add(ln)
            continue
        first_body = i
        break
    if source:
        drop_exact.add(source)
    body_lines = lines[first_body:] if first_body < len(lines) else []
    # leftover short header lines that are not metadata stay out of the body
    paragraphs: list[str] = []
    current: list[str] = []
    tail_cut = False
    for idx, ln in enumerate(body_lines):
        if not ln:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if TAIL_SECTION_RE.match(ln) and idx > len(body_lines) * 0.5:
            tail_cut = True
            break
        if ln in drop_exact or BOILERPLATE_RE.match(ln) or _read_time(ln):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if source and ln.startswith(source + " ") and _read_time(ln[len(source) :].strip()):
            continue
        if current and not current[-1].endswith(SENTENCE_END) and _continues(current[-1], ln):
            current.append(ln)  # hard-wrapped line
        else:
            if current:
                paragraphs.append(" ".join(current))
            current = [ln]
    if (current and not tail_cut) or current:
        paragraphs.append(" ".join(current))
    body = "\n\n".join(p for p in paragraphs if p)
    if not body.strip():
        body = "\n\n".join(ln for ln in lines if ln)
    if not body.strip():
        raise ValueError("no article body found in text")
    return CleanedText(title, source, read_time, authors, published, body)
