"""Reading controlled vocabularies (audiences, topics, career stages) and the glossary."""

from __future__ import annotations

from toolkit.content.fields import check_fields
from toolkit.content.model import GlossaryTerm, VocabularyEntry
from toolkit.core.problems import Problem, error
from toolkit.core.protocol import TERM_PREFIX
from toolkit.content.schemas import LISTING_PAGE, VOCABULARY_FILES
from toolkit.core.yamlio import YamlMap, YamlSeq

VOCABULARY_NAMES = {"audiences.yaml": "audiences", "topics.yaml": "topics",
                    "career-stages.yaml": "career-stages"}


def _entries(data: object, file_name: str, shown: str, key: str
             ) -> tuple[list[tuple[YamlMap, int]], list[Problem]]:
    """The well-formed entries of a vocabulary file, each with its line; duplicates refused."""
    if not isinstance(data, YamlSeq):
        return [], [error(shown, 1, "not-a-list", f"{file_name} should be a list of entries",
                          "start each entry with '- '")]
    problems: list[Problem] = []
    entries: list[tuple[YamlMap, int]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(data):
        line = data.item_line(index)
        found = check_fields(item, VOCABULARY_FILES[file_name], shown, line, "an entry")
        problems += found
        if found:
            continue
        name = item[key]
        if key == "id" and name == LISTING_PAGE:
            problems.append(error(shown, item.value_line("id"), "reserved-id",
                                  f"'{name}' is the name of the page listing every entry of {file_name}",
                                  "choose another id"))
            continue
        if name in seen:
            problems.append(error(shown, line, "duplicate-entry",
                                  f"'{name}' is listed twice (first on line {seen[name]})",
                                  "remove one of them"))
            continue
        seen[name] = line
        entries.append((item, line))
    return entries, problems


def read_vocabulary(data: object, file_name: str, shown: str
                    ) -> tuple[list[VocabularyEntry], list[Problem]]:
    entries, problems = _entries(data, file_name, shown, "id")
    return [VocabularyEntry(item["id"], item["label"], item["description"],
                            {k: v for k, v in item.items() if k not in ("id", "label", "description")})
            for item, _ in entries], problems


def glossary_anchor(term: str) -> str:
    """The label of a term on the generated glossary page, which {ref} may link to."""
    return TERM_PREFIX + "".join(c if c.isalnum() else "-" for c in term.lower()).strip("-")


def read_glossary(data: object, shown: str) -> tuple[list[GlossaryTerm], list[Problem]]:
    entries, problems = _entries(data, "glossary.yaml", shown, "term")
    return [GlossaryTerm(item["term"], " ".join(item["definition"].split()),
                         tuple(item.get("aliases") or ()), item.get("see"), shown, line)
            for item, line in entries], problems
