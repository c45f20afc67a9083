"""The packaged CAMEO/PLOVER ontology: completeness, internal consistency, label folding."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from helpers import ROOT, SHARED
from realpolitik.errors import DictionaryError
from realpolitik.events import ontology
from realpolitik.events.ontology import (
    PLOVER_TYPES,
    PLV_LABELS,
    default_code_for_plover,
    get,
    load_ontology,
    plover_root_label,
)

ROOTS = [f"{r:02d}" for r in range(1, 21)]


def expected_quad(root: str) -> int:
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


def test_has_every_code_level_and_root() -> None:
    codes = load_ontology()
    assert len(codes) >= 280
    assert set(ROOTS) <= set(codes)
    assert {len(c) for c in codes} == {2, 3, 4}
    for code, rec in codes.items():
        assert rec.code == code
        assert code.isdigit() and code.startswith(rec.root), code
        assert rec.root in ROOTS
        assert rec.name.strip(), code


def test_three_and_four_digit_codes_have_parents() -> None:
    codes = load_ontology()
    for code in codes:
        if len(code) == 4:
            assert code[:3] in codes, code
        if len(code) >= 3:
            assert code[:2] in codes, code


def test_quad_class_follows_root() -> None:
    for rec in load_ontology().values():
        assert rec.quad_class == expected_quad(rec.root), rec


def test_goldstein_agrees_with_quad_class() -> None:
    for rec in load_ontology().values():
        assert -10 <= rec.goldstein <= 10, rec
        if rec.quad_class == 2:
            assert rec.goldstein > 0, rec  # material cooperation is always cooperative
        if rec.quad_class in (3, 4):
            assert rec.goldstein < 0, rec  # verbal and material conflict are always hostile


def test_plover_types_are_known_and_all_used() -> None:
    codes = load_ontology()
    used = {rec.plover for rec in codes.values()}
    assert used - {""} <= set(PLOVER_TYPES)
    assert set(PLOVER_TYPES) <= used
    assert len(PLOVER_TYPES) == 16


def test_statements_have_no_plover_type_and_appeals_are_requests() -> None:
    codes = load_ontology()
    for rec in codes.values():
        if rec.root == "01":
            assert rec.plover == "", rec
        else:
            assert rec.plover, rec
        if rec.root in ("02", "10"):
            assert rec.plover == "REQUEST", rec


def test_mapping_facts() -> None:
    # facts from the PLOVER 2021 conversion table
    assert get("042").plover == "CONSULT"
    assert get("042").plover_mode == "visit"
    assert get("163").plover == "COERCE"
    assert get("0841").plover == "RETREAT"
    assert get("081").plover == "CONCEDE"
    assert get("192").plover == "COERCE"
    assert get("090").plover == "ACCUSE"


def test_get_rejects_unknown_codes_with_a_hint() -> None:
    with pytest.raises(KeyError, match="leading zero"):
        get("42")
    with pytest.raises(KeyError, match="unknown CAMEO code '999'"):
        get("999")


def test_load_is_cached() -> None:
    assert load_ontology() is load_ontology()


def test_root_folding() -> None:
    assert plover_root_label("CONCEDE") == "YIELD"
    assert plover_root_label("RETREAT") == "YIELD"
    assert plover_root_label("INVESTIGATE") == "ACCUSE"
    assert plover_root_label("FIGHT") == "ASSAULT"
    assert plover_root_label("DEMAND") == "REQUEST"
    assert plover_root_label("consult") == "CONSULT"
    assert plover_root_label("") == ""
    folded = {plover_root_label(t) for t in PLOVER_TYPES}
    assert folded == set(PLV_LABELS)
    assert len(PLV_LABELS) == 15
    for label in PLV_LABELS:
        assert plover_root_label(label) == label
    with pytest.raises(ValueError, match="unknown PLOVER type"):
        plover_root_label("COMMENT")


@pytest.mark.skipif(not (SHARED / "eval/plv/PLV_train.tsv").exists(), reason="no PLV data")
def test_plv_labels_match_the_evaluation_set() -> None:
    with (SHARED / "eval/plv/PLV_train.tsv").open(encoding="utf-8", newline="") as fh:
        gold = {row["gold_root"] for row in csv.DictReader(fh, delimiter="\t")}
    assert gold == set(PLV_LABELS)


@pytest.mark.parametrize("label", [*PLOVER_TYPES, "YIELD", "INVESTIGATE", "FIGHT", "DEMAND"])
def test_default_code_round_trips(label: str) -> None:
    code = default_code_for_plover(label)
    rec = get(code)
    assert plover_root_label(rec.plover) == plover_root_label(label)


def test_default_code_for_plover_rejects_unknown_types() -> None:
    with pytest.raises(ValueError, match="unknown PLOVER type"):
        default_code_for_plover("MEET")


def _load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_ontology", ROOT / "scripts" / "build_ontology.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (SHARED / "reference/cameo_codes_icews.csv").exists(), reason="no reference tables"
)
def test_packaged_tsv_is_what_the_build_script_produces(tmp_path: Path) -> None:
    build = _load_build_script()
    out = tmp_path / "cameo.tsv"
    build.write_tsv(build.build_rows(SHARED / "reference"), out)
    packaged = ROOT / "src/realpolitik/events/data/cameo.tsv"
    assert out.read_text(encoding="utf-8") == packaged.read_text(encoding="utf-8"), (
        "cameo.tsv is stale: run scripts/build_ontology.py /work/shared/reference"
    )


def test_bad_ontology_rows_are_reported() -> None:
    with pytest.raises(DictionaryError, match="line 2"):
        ontology._parse(
            "code\tname\troot\tgoldstein\tquad_class\tplover\tplover_mode\n042\tMake a visit\n",
            "bad.tsv",
        )
