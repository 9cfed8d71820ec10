"""Rendering: SVG structure snapshots, geometric no-overlap checks, property tests.

Snapshots record structure (element and class counts, key attributes), not pixels; after
an intended change, regenerate them with `UPDATE_DIAGRAM_SNAPSHOTS=1 pytest ...`.
"""

from __future__ import annotations

import json
import math
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.diagrams import DIAGRAM_SUFFIXES, load_diagram, render_diagram
from toolkit.diagrams.chronology import layout_timeline
from toolkit.diagrams.ecomap import layout_ecomap
from toolkit.diagrams.genogram import layout_genogram, legend_items
from toolkit.diagrams.genogram_layout import place_people
from toolkit.diagrams.model import (
    Care,
    Chronology,
    EcoMap,
    Entry,
    Genogram,
    PartialDate,
    Person,
    Relationship,
    System,
    Twins,
    Union,
)
from toolkit.diagrams.schema import GENDERS, MARKERS, RELATIONSHIP_TYPES, STRENGTHS, UNION_STATUSES
from toolkit.diagrams.svg import overlapping

DATA = Path(__file__).parent / "data" / "diagrams"
SVG = "{http://www.w3.org/2000/svg}"
DIRECTIVE = {"genogram": "genogram", "eco-map": "eco-map", "chronology": "timeline"}


def load(name: str) -> object:
    kind = next(k for s, k in DIAGRAM_SUFFIXES.items() if name.endswith(s))
    model, problems = load_diagram(kind, (DATA / name).read_text(), name)
    assert not problems
    return model


def structure(fragment: str) -> dict[str, object]:
    """What a snapshot keeps: the root's key attributes and counts of elements and classes."""
    svg_text = re.search(r"<svg.*</svg>", fragment, re.S)[0]
    root = ET.fromstring(svg_text)
    tags = Counter(el.tag.replace(SVG, "") for el in root.iter())
    classes = Counter(c for el in root.iter() for c in el.get("class", "").split())
    return {
        "root": {k: root.get(k) for k in ("role", "aria-labelledby", "viewBox", "class")},
        "title": root.find(f"{SVG}title").text,
        "tags": dict(sorted(tags.items())),
        "classes": dict(sorted(classes.items())),
        "text": sorted(t.strip() for el in root.iter(f"{SVG}tspan") if (t := el.text)),
    }


def check_snapshot(name: str) -> None:
    model = load(name)
    kind = next(k for s, k in DIAGRAM_SUFFIXES.items() if name.endswith(s))
    fragment = render_diagram(DIRECTIVE[kind], model, "Snapshot", id_prefix="snap")
    actual = structure(fragment)
    expected_path = DATA / (name.rsplit(".", 2)[0] + f".{kind}.expected.json")
    if os.environ.get("UPDATE_DIAGRAM_SNAPSHOTS"):
        expected_path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n")
    assert expected_path.exists(), f"no snapshot {expected_path.name}: make it with UPDATE_DIAGRAM_SNAPSHOTS=1"
    assert actual == json.loads(expected_path.read_text())


def test_genogram_snapshot() -> None:
    check_snapshot("three-generations.genogram.yaml")


def test_ecomap_snapshot() -> None:
    check_snapshot("support.ecomap.yaml")


def test_timeline_snapshot() -> None:
    check_snapshot("history.chronology.yaml")


def test_fragment_has_svg_caption_and_text_equivalent() -> None:
    html = render_diagram("genogram", load("three-generations.genogram.yaml"), "The family",
                          id_prefix="fam")
    assert html.index("<svg") < html.index("<figcaption>The family</figcaption>")
    assert 'aria-labelledby="fam-title fam-desc"' in html
    assert "Mother (female, born 1985) — child of Grandfather and Grandmother; separated from " \
           "Father (2022); children: A (9), B (6)" in html
    assert "style=" not in html and "<script" not in html


def test_legend_lists_only_symbols_used() -> None:
    keys = [k for k, _ in legend_items(load("three-generations.genogram.yaml"))]
    assert "union-divorced" not in keys and "rel-abuse" not in keys and "adopted" not in keys
    assert {"union-married", "union-separated", "union-cohabiting", "rel-close", "rel-conflict",
            "rel-cut-off", "rel-very-close", "household", "pregnancy", "index",
            "deceased"} <= set(keys)


def test_three_generations_with_half_sibling_and_two_households_do_not_overlap() -> None:
    family = load("three-generations.genogram.yaml")
    layout = layout_genogram(family)
    assert overlapping(layout.boxes) == []
    assert set(layout.x) == {p.id for p in family.people}
    assert len(set(layout.generation.values())) == 3
    # children hang under their own parents' union, oldest on the left; the father of
    # both families sits between his two partners
    x = layout.x
    assert x["child1"] < x["child2"] and x["half"] < x["baby"]
    assert min(x["mum"], x["partner"]) < x["dad"] < max(x["mum"], x["partner"])
    first, second = (x["mum"] + x["dad"]) / 2, (x["partner"] + x["dad"]) / 2
    assert all(abs(x[k] - first) < abs(x[k] - second) for k in ("child1", "child2"))
    assert all(abs(x[k] - second) < abs(x[k] - first) for k in ("half", "baby"))


def test_chronology_table_sorted_and_significance_in_words() -> None:
    html = render_diagram("chronology", load("history.chronology.yaml"), None, id_prefix="c")
    assert re.findall(r'datetime="([^"]+)"', html) == ["2023-11", "2024", "2024-03",
                                                       "2024-03-02", "2024-05"]
    assert ">High</span>" in html and ">Low</span>" in html
    assert '<label for="c-significance">' in html and 'id="c-significance"' in html


# --- property tests ----------------------------------------------------------------------

NAMES = st.text(alphabet="abcdefghij ()", min_size=1, max_size=30).map(
    lambda s: s.strip() or "x")


@st.composite
def families(draw: st.DrawFn) -> Genogram:
    people: list[Person] = []
    unions: list[Union] = []

    def person(generation: int) -> str:
        pid = f"p{len(people)}"
        born = 1900 + 25 * generation + draw(st.integers(0, 20))
        loss = draw(st.sampled_from(["", "", "", "", "", "", "pregnancy", "miscarriage",
                                     "stillbirth", "termination"])) if generation else ""
        people.append(Person(pid, draw(NAMES), draw(st.sampled_from(["male", "female", "unknown"])),
                             born=PartialDate(born) if draw(st.booleans()) else None,
                             died=PartialDate(born + 60) if draw(st.booleans()) else None,
                             adopted=draw(st.booleans()),
                             gender=draw(st.sampled_from([None, None, None, *GENDERS])),
                             markers=tuple(draw(st.lists(st.sampled_from(MARKERS), max_size=2,
                                                         unique=True))),
                             unknown=draw(st.integers(0, 7)) == 0,
                             **({loss: True} if loss else {})))
        return pid

    generations = draw(st.integers(1, 4))
    current = [person(0) for _ in range(draw(st.integers(1, 3)))]
    for level in range(1, generations + 1):
        next_gen: list[str] = []
        for pid in current:
            for _ in range(draw(st.integers(0, 2))):  # 0-2 partnerships: step-families
                partner = person(level - 1)
                if draw(st.integers(0, 4)) == 0:  # a same-sex couple
                    own = next(p for p in people if p.id == pid).sex
                    people[-1] = replace(people[-1], sex=own)
                kids = [person(level) for _ in range(draw(st.integers(0, 3)))] \
                    if level < generations else []
                twins = (Twins(tuple(kids[:2]), draw(st.booleans())),) \
                    if len(kids) >= 2 and draw(st.booleans()) else ()
                unions.append(Union((pid, partner), draw(st.sampled_from(UNION_STATUSES)),
                                    PartialDate(1990) if draw(st.booleans()) else None,
                                    tuple(kids), twins))
                next_gen += kids
        current = next_gen or current[:0]
        if not current:
            break
    ids = [p.id for p in people]
    relationships = []
    if len(ids) > 1:
        for _ in range(draw(st.integers(0, 3))):
            a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
            relationships.append(Relationship((a, b), draw(st.sampled_from(RELATIONSHIP_TYPES))))
    households = tuple(tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3,
                                           unique=True))) for _ in range(draw(st.integers(0, 2))))
    kids = [k for u in unions for k in u.children]
    if kids and draw(st.booleans()):  # a child cared for by one or two other people
        child = draw(st.sampled_from(kids))
        carers = draw(st.lists(st.sampled_from([i for i in ids if i != child]), min_size=1,
                               max_size=2, unique=True))
        at = ids.index(child)
        people[at] = replace(people[at], cared_for_by=Care(tuple(carers), "kinship"))
    index = draw(st.sampled_from(ids))
    return Genogram(tuple(people), tuple(unions), tuple(relationships), households, index,
                    as_of=PartialDate(2026, 9, 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(families())
def test_generated_families_lay_out_without_overlaps(family: Genogram) -> None:
    layout = layout_genogram(family)
    assert set(layout.x) == {p.id for p in family.people}
    assert overlapping(layout.boxes) == []
    first = render_diagram("genogram", family, None, id_prefix="g")
    assert first == render_diagram("genogram", family, None, id_prefix="g")
    assert first.count('class="tk-person"') == len(family.people)
    ET.fromstring(re.search(r"<svg.*</svg>", first, re.S)[0])  # well-formed


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(NAMES, st.sampled_from(STRENGTHS),
                          st.sampled_from([None, "to", "from", "both"])), min_size=1, max_size=20),
       NAMES)
def test_ecomaps_of_1_to_20_systems_do_not_collide(systems: list, centre: str) -> None:
    ecomap = EcoMap(centre, tuple(System(label, strength, flow) for label, strength, flow in systems))
    layout = layout_ecomap(ecomap)
    assert overlapping(layout.boxes) == []
    circles = {owner: (x, y, r) for owner, x, y, r in layout.circles}
    for i, (_, x1, y1, r1) in enumerate(layout.circles):
        for _, x2, y2, r2 in layout.circles[i + 1:]:
            assert math.dist((x1, y1), (x2, y2)) > r1 + r2
    for box in layout.boxes:
        if box.kind == "label":  # inside its own circle
            x, y, r = circles[box.owner]
            for cx, cy in ((box.x, box.y), (box.x + box.w, box.y + box.h)):
                assert math.dist((cx, cy), (x, y)) <= r
        else:  # the legend sits below every circle
            assert all(box.y > y + r for x, y, r in circles.values())
    html = render_diagram("eco-map", ecomap, None, id_prefix="e")
    assert html == render_diagram("eco-map", ecomap, None, id_prefix="e")
    assert html.count('class="tk-eco-system"') == len(systems)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(2000, 2030), st.one_of(st.none(), st.integers(1, 12)),
                          NAMES), min_size=1, max_size=25))
def test_timeline_labels_never_overlap(events: list) -> None:
    entries = sorted((Entry(PartialDate(y, m), event, "GP") for y, m, event in events),
                     key=lambda e: e.date.sort_key)
    layout = layout_timeline(Chronology("A", tuple(entries)))
    assert overlapping(layout.boxes) == []
    assert len(layout.boxes) == len(entries)


# --- conventions, key, text equivalent -------------------------------------------------

def svg_of(fragment: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*</svg>", fragment, re.S)[0])


def test_every_convention_is_drawn_keyed_and_named_in_the_text() -> None:
    family = load("conventions.genogram.yaml")
    fragment = render_diagram("genogram", family, "Conventions", id_prefix="c")
    keys = [k for k, _ in legend_items(family)]
    for key in ("index", "deceased", "age", "unknown", "pregnancy", "miscarriage", "stillbirth",
                "termination", "gender-non-binary", "gender-trans-woman", "twins-identical",
                "care-kinship", "union-formerly-cohabiting", "household", "adopted",
                *(f"marker-{m}" for m in ("mental-health", "physical-illness", "substance-misuse",
                                          "in-recovery", "learning-disability"))):
        assert key in keys, key
    assert "sex-unknown" not in keys  # the non-binary person is keyed as such, not as "unknown"
    assert "gender-trans-man" not in keys and "twins" not in keys  # only what is used
    text = re.sub(r"<[^>]+>", " ", fragment.split("</svg>")[1])
    for words in ("aged 9 on 1 Sep 2026", "cared for by Nan in kinship care since 2023",
                  "cares for A", "identical twin of U", "Father (not known", "stillbirth",
                  "termination", "trans woman, recorded male at birth", "non-binary",
                  "mental ill health", "in recovery from substance misuse",
                  "lived with, now apart from Father", "died aged 61"):
        assert words in text, words
    root = svg_of(fragment)
    ages = sorted(t.text for t in root.iter(f"{SVG}tspan")
                  if t.text and t.text.isdigit() and len(t.text) <= 2)
    assert "9" in ages and "64" in ages and "?" in "".join(t.text or "" for t in root.iter(f"{SVG}tspan"))
    assert len([g for g in root.iter(f"{SVG}path") if "tk-care" in g.get("class", "")]) == 1
    markers = [p.get("class") for p in root.iter(f"{SVG}path") if "tk-marker " in (p.get("class") or "")
               and "tk-legend" not in (p.get("class") or "")]
    assert len(markers) >= 6


def test_ages_are_for_as_of_never_the_build_date() -> None:
    family = load("conventions.genogram.yaml")
    later = replace(family, as_of=PartialDate(2030, 9, 1))
    assert family.age(family.person("a")) == 9 and later.age(later.person("a")) == 13
    undated = replace(family, as_of=None)
    root = svg_of(render_diagram("genogram", undated, None, id_prefix="u"))
    assert {"".join(t.itertext()) for t in root.iter(f"{SVG}text")
            if t.get("class") == "tk-age"} == {"?"}  # the unknown father's mark, no ages
    assert family.age(family.person("grandad")) == 61  # died 2021: age at death, not now


def test_key_draws_each_person_symbol_on_the_shape_used() -> None:
    """The index person here is female: the key's index sample is a double circle, never
    the diamond that means 'sex not known'; 'died' is drawn on the dead person's square."""
    family = load("conventions.genogram.yaml")
    root = svg_of(render_diagram("genogram", family, None, id_prefix="k"))
    items = [g for g in root.iter(f"{SVG}g") if g.get("class") == "tk-legend-item"]
    by_text = {"".join(g.itertext()).strip(): g for g in items}
    index = next(g for t, g in by_text.items() if t.startswith("The person"))
    assert len(list(index.iter(f"{SVG}circle"))) == 2 and not list(index.iter(f"{SVG}polygon"))
    died = next(g for t, g in by_text.items() if t.startswith("Died"))
    assert list(died.iter(f"{SVG}rect")) and not list(died.iter(f"{SVG}polygon"))
    assert len(items) == len(legend_items(family))


def test_key_samples_a_persons_feature_from_a_person_never_from_a_loss() -> None:
    """A miscarriage listed first with 'not known', a gender and a marker of its own: the key still
    draws each of them on the person who has it (a square here), not as the miscarriage's dot."""
    loss = Person("loss", "Miscarriage", "unknown", miscarriage=True, unknown=True, gender="trans-man",
                  markers=("mental-health",))
    family = Genogram((loss, Person("dad", "Dad", "male", unknown=True, gender="trans-man",
                                    markers=("mental-health",)), Person("mum", "Mum", "female")),
                      (Union(("dad", "mum"), "married", children=("loss",)),))
    root = svg_of(render_diagram("genogram", family, None, id_prefix="m"))
    items = {"".join(g.itertext()).strip(): g for g in root.iter(f"{SVG}g") if g.get("class") == "tk-legend-item"}
    for text in ("Not known", "Trans man", "Mental ill health"):
        item = next(g for t, g in items.items() if text in t)
        assert list(item.iter(f"{SVG}rect")), text   # Dad's square
        assert not [c for c in item.iter(f"{SVG}circle") if c.get("fill") == "currentColor"], text   # no dot


def test_a_small_familys_key_keeps_the_figure_within_a_pages_reading_width() -> None:
    """Furo's reading column is 736 px: a narrow drawing with a long key is not made wider than
    that by two columns of key (a reader at 1366 px would have to scroll sideways to read it)."""
    for name in ("three-generations.genogram.yaml", "conventions.genogram.yaml"):
        family = load(name)
        drawing = place_people(family).width
        width = float(svg_of(render_diagram("genogram", family, None, id_prefix="r")).get("width"))
        assert width <= max(736, drawing + 80), (name, width, drawing)


def test_long_labels_are_wrapped_whole_never_cut() -> None:
    family = Genogram((Person("g", "Great-grandfather on the paternal side", "male"),
                       Person("k", "Supercalifragilistic", "female")))
    layout = layout_genogram(family)
    assert layout.labels["g"] == ["Great-grandfather", "on the paternal", "side"]
    assert layout.labels["k"] == ["Supercalifragilistic"]
    fragment = render_diagram("genogram", family, None, id_prefix="w")
    assert "…" not in fragment
    assert overlapping(layout.boxes) == []


def test_text_is_at_least_12_px_at_natural_size() -> None:
    for fragment in (render_diagram("genogram", load("conventions.genogram.yaml"), None,
                                    id_prefix="s"),
                     render_diagram("eco-map", load("support.ecomap.yaml"), None, id_prefix="e")):
        root = svg_of(fragment)
        samples = {id(t) for g in root.iter(f"{SVG}g") if "tk-legend-symbol" in g.get("class", "")
                   for t in g.iter(f"{SVG}text")}  # drawn inside the key's small pictures
        sizes = [float(t.get("font-size")) for t in root.iter(f"{SVG}text") if id(t) not in samples]
        assert sizes and min(sizes) >= 12


def test_ecomap_text_names_the_centre_once() -> None:
    ecomap = EcoMap("A (9) and Mother", (System("School", "strong", "to"),
                                         System("Nan", "strong", "from"),
                                         System("GP", "tenuous", "both")))
    fragment = render_diagram("eco-map", ecomap, None, id_prefix="e")
    text = re.sub(r"<[^>]+>", " ", fragment.split("</svg>")[1])
    assert text.count("A (9) and Mother") == 1
    assert "flow out from the centre" in text and "flow in to the centre" in text


def test_someone_in_no_union_sits_in_the_row_their_birth_year_suggests() -> None:
    family = load("three-generations.genogram.yaml")
    lodger = Person("lodger", "Lodger", "male", born=PartialDate(1986))
    child = Person("friend", "Family friend's child", "female", born=PartialDate(2017))
    layout = layout_genogram(replace(family, people=family.people + (lodger, child)))
    assert layout.generation["lodger"] == layout.generation["mum"] == 1
    assert layout.generation["friend"] == layout.generation["child1"] == 2
    assert overlapping(layout.boxes) == []
