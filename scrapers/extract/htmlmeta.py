"""What a page says about itself: meta tags, its title and its publication date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from htmldate import find_date
from trafilatura.metadata import extract_title

from parsers.dates import china_today, date_from_url, find_dates, parse_date
from scrapers.extract.htmltree import Node, squash

# Meta tags naming the article title, most specific first (ArticleTitle is the gov CMS one).
TITLE_META: tuple[str, ...] = ("articletitle", "og:title", "twitter:title")
# Meta tags holding the publication date, most specific first. Modification times are left out.
PUBLISHED_META: tuple[str, ...] = (
    "pubdate", "publishdate", "firstpublishedtime", "article:published_time", "og:release_date",
    "og:article:published_time", "datepublished", "publish-date", "publish_date", "publishtime",
    "dc.date.issued", "dcterms.issued", "dc.date", "sp.publishdate", "weibo:article:create_at",
)  # fmt: skip
# The date a gov document carries at its foot (成文日期); it outranks the web posting time, being
# the date the document, its figures and its period are known by.
DOCUMENT_DATE_LABELS: tuple[str, ...] = ("成文日期", "印发日期", "成文时间")
# Labels of the posting date near the title (`发布时间：2023-02-15 15:28`).
PUBLISHED_LABELS: tuple[str, ...] = (
    "发布时间", "发布日期", "发稿时间", "发表时间", "发表日期", "发布于", "日期", "时间",
)  # fmt: skip
# How far after a label its date may stand, and how far after the title the byline block reaches.
LABEL_REACH = 40
TITLE_REACH = 600
BEFORE_REACH = 150
# <title> separators between the article's title and the site's name.
TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|--+|——+|—|-|::)\s*")
SITE_NAME_MAX_CHARS = 12
_NOT_SITE_NAME = re.compile(r"[\d，。！？：；、,!?:;“”\"《》]")
MIN_TITLE_CHARS = 4
# Elements that hold no visible text.
INVISIBLE_TAGS = ("script", "style", "noscript", "title", "head", "template")


def meta_values(root: Node) -> dict[str, str]:
    """Meta tags as {lower-cased name/property/itemprop: content}; the first of each name wins."""
    found: dict[str, str] = {}
    for node in root.iter("meta"):
        key = node.get("name") or node.get("property") or node.get("itemprop") or ""
        content = (node.get("content") or "").strip()
        if key and content:
            found.setdefault(key.strip().lower(), content)
    return found


def visible_text(root: Node) -> str:
    """The page's text, one text node per line, script/style/head excluded."""
    hidden = {n for tag in INVISIBLE_TAGS for top in root.iter(tag) for n in top.iter()}
    parts: list[str] = []
    for node in root.iter():
        # Comments and processing instructions have a callable tag; their text is not shown.
        if node not in hidden and isinstance(node.tag, str) and node.text and not node.text.isspace():
            parts.append(node.text.strip())
        parent = node.getparent()
        if node.tail and not node.tail.isspace() and (parent is None or parent not in hidden):
            parts.append(node.tail.strip())
    return "\n".join(parts)


def _is_site_name(part: str) -> bool:
    """Site and channel names are short, without digits or sentence punctuation (大河网, 要闻云南)."""
    return 0 < len(part) <= SITE_NAME_MAX_CHARS and not _NOT_SITE_NAME.search(part)


def strip_site_name(title: str) -> str:
    """Cut trailing site/channel names off a title (`标题_科技_腾讯网` → `标题`)."""
    title = squash(re.sub(r"<[^>]+>", "", title))
    for sep in reversed(list(TITLE_SEPARATORS.finditer(title))):
        if sep.start() == 0 or not _is_site_name(title[sep.end() :]):
            break
        title = title[: sep.start()]
    return title


def page_title(root: Node, meta: dict[str, str]) -> str | None:
    """The article title: ArticleTitle/og:title, an <h1> matching <title>, <title>, trafilatura's."""
    node = root.find(".//title")
    tag_title = squash(node.text_content()) if node is not None else ""
    cleaned = strip_site_name(tag_title)

    def plausible(candidate: str | None) -> str | None:
        text = strip_site_name(candidate or "")
        if len(text) < MIN_TITLE_CHARS or (text != cleaned and _is_site_name(text)):
            return None
        return text

    for name in TITLE_META:
        if found := plausible(meta.get(name)):
            return found
    for heading in root.iter("h1", "h2"):
        text = squash(heading.text_content())
        if len(text) >= MIN_TITLE_CHARS and tag_title.replace(" ", "").startswith(text.replace(" ", "")):
            return text
    # A <title> that is nothing but the site's name says nothing; trafilatura looks elsewhere.
    if cleaned and not (_is_site_name(cleaned) and cleaned == tag_title):
        return cleaned
    return plausible(extract_title(root)) or cleaned or None


def _labelled(text: str, labels: tuple[str, ...]) -> Iterator[tuple[int, dt.date]]:
    pattern = re.compile(r"(?:" + "|".join(labels) + r")\s*[:：]?\s*")
    for match in pattern.finditer(text):
        found = find_dates(text[match.end() : match.end() + LABEL_REACH])
        if found and found[0][0] <= 2:  # the date must follow the label, not stand in a later sentence
            yield match.start(), found[0][1]


def _title_position(text: str, title: str | None) -> int:
    """Where the title stands in the page text (spacing may differ), or -1."""
    needle = re.sub(r"\s+", "", title or "")[:12]
    if not needle:
        return -1
    match = re.search(r"\s*".join(re.escape(ch) for ch in needle), text)
    return match.start() if match else -1


def date_from_text(text: str, title: str | None) -> dt.date | None:
    """The posting date by the title: labelled after it, labelled before, then the nearest full date."""
    pos = _title_position(text, title)
    start = max(pos, 0)
    after = text[start : start + TITLE_REACH * 3]
    before = text[max(start - BEFORE_REACH, 0) : start]
    latest = china_today()
    for _, found in _labelled(after, PUBLISHED_LABELS):
        if found <= latest:
            return found
    for _, found in reversed(list(_labelled(before, PUBLISHED_LABELS))):
        if found <= latest:
            return found
    # Unlabelled: the date closest to the title, on either side (e-papers print it above).
    following = [(offset, day) for offset, day in find_dates(after[:TITLE_REACH]) if day <= latest]
    preceding = [(len(before) - offset, day) for offset, day in find_dates(before) if day <= latest]
    candidates = following[:1] + preceding[-1:]
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _from_htmldate(root: Node, url: str | None) -> dt.date | None:
    try:
        # extensive_search=False keeps dateparser out: it is slow and reads 2023年02月15日 as Jan 1.
        found = find_date(root, extensive_search=False, original_date=True, url=url)
    except Exception:  # a last resort must not take the page down with it
        return None
    return parse_date(found) if found else None


def published_date(root: Node, meta: dict[str, str], text: str, title: str | None, url: str | None) -> dt.date | None:
    """Publication date: document-date label, meta tags, labelled/near-title text, URL, htmldate."""
    latest = china_today()
    for _, found in _labelled(text, DOCUMENT_DATE_LABELS):
        if found <= latest:
            return found
    for name in PUBLISHED_META:
        stated = parse_date(meta.get(name, ""))
        if stated is not None and stated <= latest:
            return stated
    return date_from_text(text, title) or date_from_url(url) or _from_htmldate(root, url)
