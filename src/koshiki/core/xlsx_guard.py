"""Look inside an uploaded .xlsx (a zip archive) before any XML in it is parsed.

A 1 MB workbook can unpack to gigabytes (a zip bomb), hold thousands of members, or name a member
"../../x". openpyxl would read such a file in full before anything else could refuse it, so the
archive's directory is checked first: member count and names, each member's and the total unpacked
size, the shared-strings table's size, and the compression ratio. The limits are far above any real
台帳 and low enough that whatever passes parses in bounded memory and time (see `make bench`).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from .errors import InvalidInput

MiB = 1024 * 1024
MAX_MEMBERS = 256
MAX_TOTAL = 64 * MiB
MAX_SHEET = 48 * MiB  # xl/worksheets/*.xml: streamed, but every cell is parsed
MAX_SHARED_STRINGS = 48 * MiB  # xl/sharedStrings.xml: openpyxl loads the whole table into memory
# Elements counted by a byte scan of the unpacked member, before any XML parser sees it: openpyxl parses
# every cell of a row (even past the columns asked for) and keeps every shared string as a Python object.
_CELL = re.compile(rb"<(?:[A-Za-z0-9_]{1,10}:)?c[\s>/]")
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z0-9_]{1,10}:)?si[\s>/]")
_CHUNK = 1 * MiB
_OVERLAP = 32  # longer than any match above
MAX_OTHER_XML = 4 * MiB  # styles, workbook, relationships: parsed whole
MAX_RATIO = 100  # unpacked / packed, for members over RATIO_FLOOR (Apache POI uses the same 1 %)
RATIO_FLOOR = 1 * MiB


def _limit_for(name: str) -> int:
    lowered = name.lower()
    if lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
        return MAX_SHEET
    if lowered == "xl/sharedstrings.xml":
        return MAX_SHARED_STRINGS
    if lowered.endswith((".xml", ".rels")):
        return MAX_OTHER_XML
    return MAX_TOTAL


def _bad_name(name: str) -> bool:
    if not name or len(name) > 255 or name.startswith("/") or "\\" in name:
        return True
    if any(ord(ch) < 0x20 for ch in name) or ":" in name.split("/")[0]:
        return True
    return ".." in name.split("/") or posixpath.normpath(name).startswith("..")


# openpyxl finds the workbook and shared strings through [Content_Types].xml and the sheets through the
# workbook's relationships, whatever the parts are named; the size limits and counts go by name, so only
# the names Excel writes are accepted for these parts.
WORKBOOK = "xl/workbook.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
_STANDARD_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_WORKBOOK_TYPES = (
    "sheet.main+xml",
    "sheet.macroEnabled.main+xml",
    "template.main+xml",
    "template.macroEnabled.main+xml",
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml(archive: zipfile.ZipFile, name: str) -> list[Element]:
    """Every element of a (size-checked) package part, parsed without DTDs or entities."""
    try:
        return list(SafeET.fromstring(archive.read(name)).iter())
    except KeyError as exc:
        raise InvalidInput(_("The Excel file cannot be read: %(name)s is missing.") % {"name": name}) from exc
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise InvalidInput(_("The Excel file cannot be read: %(error)s") % {"error": exc}) from exc


def _resolve(base_dir: str, target: str) -> str:
    """A relationship target as a member name: absolute targets from the root, relative from ``base_dir``."""
    path = target[1:] if target.startswith("/") else posixpath.join(base_dir, target)
    return posixpath.normpath(path)


def _nonstandard(name: str) -> InvalidInput:
    return InvalidInput(
        _("The Excel file stores a workbook part under a name Excel does not use: %(name)s")
        % {"name": name[:100]}
    )


def _check_part_names(archive: zipfile.ZipFile) -> list[str]:
    """Refuse packages whose workbook, sheets or shared strings are not where Excel puts them.

    Returns every internal target of the workbook's relationships: openpyxl reads a sheet through any of
    them (a <sheet> may name any relationship), so all of them get the cell count."""
    for element in _xml(archive, "[Content_Types].xml"):
        if _local(element.tag) != "Override":
            continue
        part, kind = element.get("PartName", "").lstrip("/"), element.get("ContentType", "")
        if kind.endswith(_WORKBOOK_TYPES) and part != WORKBOOK:
            raise _nonstandard(part)
        if kind.endswith("worksheet+xml") and not _STANDARD_SHEET.match(part):
            raise _nonstandard(part)
        if kind.endswith("sharedStrings+xml") and part != SHARED_STRINGS:
            raise _nonstandard(part)
    documents = [
        _resolve("", element.get("Target", ""))
        for element in _xml(archive, "_rels/.rels")
        if _local(element.tag) == "Relationship" and element.get("Type", "").endswith("/officeDocument")
    ]
    if not documents:
        raise InvalidInput(_("The Excel file cannot be read: %(name)s is missing.") % {"name": WORKBOOK})
    for document in documents:
        if document != WORKBOOK:
            raise _nonstandard(document)
    targets: list[str] = []
    for element in _xml(archive, "xl/_rels/workbook.xml.rels"):
        if _local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
            continue
        kind, target = element.get("Type", ""), _resolve("xl", element.get("Target", ""))
        if kind.endswith("/worksheet") and not _STANDARD_SHEET.match(target):
            raise _nonstandard(target)
        if kind.endswith("/sharedStrings") and target != SHARED_STRINGS:
            raise _nonstandard(target)
        targets.append(target)
    return targets


def _mb(size: int) -> str:
    return f"{size / MiB:,.1f}"


def _count(archive: zipfile.ZipFile, name: str, pattern: re.Pattern[bytes], limit: int) -> int:
    """Occurrences of ``pattern`` in the unpacked member, read in chunks; stops once past ``limit``.

    A match starting in the last _OVERLAP bytes of a window is left for the next window, which begins
    with those bytes; every match is shorter than _OVERLAP, so none is missed or counted twice."""
    count, tail = 0, b""
    with archive.open(name) as member:  # zipfile never unpacks more than the declared size
        while chunk := member.read(_CHUNK):
            window = tail + chunk
            cut = max(len(window) - _OVERLAP, 0)
            count += sum(1 for match in pattern.finditer(window) if match.start() < cut)
            tail = window[cut:]
            if count > limit:
                return count
    return count + len(pattern.findall(tail))


def _count_elements(archive: zipfile.ZipFile, max_cells: int, sheets: list[str]) -> None:
    """Count shared strings in the table and cells in every XML part and every part the workbook links
    to (a sheet may sit behind any of those relationships)."""
    linked = set(sheets)
    for name in archive.namelist():
        lowered = name.lower()
        if lowered == "xl/sharedstrings.xml":
            pattern, what = _SHARED_STRING, _("shared strings")
        elif lowered.endswith(".xml") or name in linked:
            pattern, what = _CELL, _("cells")
        else:
            continue
        count = _count(archive, name, pattern, max_cells)
        if count > max_cells:
            raise InvalidInput(
                _("The Excel file holds too many %(what)s in %(name)s (more than %(max)s).")
                % {"what": what, "name": name[:100], "max": f"{max_cells:,}"}
            )


def check_xlsx_archive(raw: bytes, *, max_cells: int) -> None:
    """Raise InvalidInput (in Japanese) unless the archive is safe to hand to openpyxl.

    ``max_cells`` bounds the cells of each sheet and the entries of the shared-strings table (a table can
    never need more entries than the cells that use it)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InvalidInput(_("The Excel file cannot be read: %(error)s") % {"error": exc}) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise InvalidInput(
                _("The Excel file holds too many files inside (%(n)s; at most %(max)s).")
                % {"n": f"{len(members):,}", "max": f"{MAX_MEMBERS:,}"}
            )
        total = 0
        seen: set[str] = set()
        for member in members:
            name = member.filename
            if _bad_name(name) or name in seen:
                raise InvalidInput(
                    _("The Excel file holds a file with an invalid name: %(name)s") % {"name": name[:100]}
                )
            seen.add(name)
            limit = _limit_for(name)
            if member.file_size > limit:
                raise InvalidInput(
                    _(
                        "The Excel file unpacks to too much data: %(name)s is %(size)s MB unpacked (at most %(max)s MB)."  # noqa: E501
                    )
                    % {"name": name[:100], "size": _mb(member.file_size), "max": _mb(limit)}
                )
            if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise InvalidInput(
                    _("The Excel file cannot be read: %(name)s unpacks to %(ratio)s times its packed size.")
                    % {"name": name[:100], "ratio": f"{member.file_size // max(member.compress_size, 1):,}"}
                )
            total += member.file_size
        if total > MAX_TOTAL:
            raise InvalidInput(
                _("The Excel file unpacks to too much data: %(size)s MB in all (at most %(max)s MB).")
                % {"size": _mb(total), "max": _mb(MAX_TOTAL)}
            )
        try:
            sheets = _check_part_names(archive)
            _count_elements(archive, max_cells, sheets)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise InvalidInput(_("The Excel file cannot be read: %(error)s") % {"error": exc}) from exc
