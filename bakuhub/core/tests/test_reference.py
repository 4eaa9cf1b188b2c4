from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bakuhub.core.errors import ValidationFailed
from bakuhub.core.models import AdminUnit, AuditRecord, Country
from bakuhub.core.reference import DATA_DIR, UpsertCounts, reference_load, reference_total

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped reference files."""
    target = tmp_path / "reference"
    shutil.copytree(DATA_DIR, target)
    return target


def _replace_line(path: Path, number: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = text
    path.write_text("".join(lines), encoding="utf-8")


def test_it_loads_all_countries():
    result = reference_load()

    assert result.countries == UpsertCounts(created=249)
    assert Country.objects.count() == 249
    chad = Country.objects.get(iso3="TCD")
    assert (chad.iso2, chad.numeric, chad.official_name) == ("TD", "148", "Republic of Chad")
    assert (chad.region_m49, chad.region_name) == ("002", "Africa")
    assert (chad.subregion_m49, chad.subregion_name) == ("202", "Sub-Saharan Africa")
    assert Country.objects.get(iso3="IRQ").subregion_name == "Western Asia"


def test_it_is_idempotent():
    first = reference_load()
    second = reference_load()

    assert first.changed
    assert not second.changed
    assert second.countries == UpsertCounts(unchanged=249)
    assert second.admin_units == UpsertCounts(unchanged=72)
    assert Country.objects.count() == 249
    assert AdminUnit.objects.count() == 72


def test_it_updates_what_was_changed():
    reference_load()
    Country.objects.filter(iso3="TCD").update(name_fr="Tchad (vieux)", is_ldc=False)
    AdminUnit.objects.filter(pcode="TD01").update(name="Old name", geometry=None)

    result = reference_load()

    assert result.countries == UpsertCounts(updated=1, unchanged=248)
    assert result.admin_units == UpsertCounts(updated=1, unchanged=71)
    chad = Country.objects.get(iso3="TCD")
    assert (chad.name_fr, chad.is_ldc) == ("Tchad", True)
    batha = AdminUnit.objects.get(pcode="TD01")
    assert batha.name == "Batha"
    assert batha.geometry is not None


def test_it_loads_admin1_for_the_five_hub_countries():
    result = reference_load()

    assert result.admin_units == UpsertCounts(created=72)
    counts = {
        c.iso3: c.admin_units.count() for c in Country.objects.filter(iso3__in=["TCD", "GNB", "SOM", "UGA", "IRQ"])
    }
    assert counts == {"TCD": 23, "GNB": 9, "SOM": 18, "UGA": 4, "IRQ": 18}
    assert set(AdminUnit.objects.values_list("level", flat=True)) == {1}
    ennedi_est = AdminUnit.objects.get(iso_3166_2="TD-EE")
    ennedi_ouest = AdminUnit.objects.get(iso_3166_2="TD-EO")
    assert (ennedi_est.pcode, ennedi_est.name) == ("TD20", "Ennedi Est")
    assert ennedi_ouest.pcode == "TD23"
    assert ennedi_est.geometry == ennedi_ouest.geometry
    assert ennedi_est.geometry_note == "Natural Earth v4.1.0 polygon covers TD20, TD23 (not split)"
    assert AdminUnit.objects.exclude(geometry=None).count() == 72
    assert AdminUnit.objects.get(pcode="UG1").iso_3166_2 == "UG-C"
    assert AdminUnit.objects.get(pcode="TD01").geometry_note == ""


def test_it_gives_names_in_four_languages():
    reference_load()

    chad = Country.objects.get(iso3="TCD")
    assert (chad.name_en, chad.name_fr, chad.name_pt) == ("Chad", "Tchad", "Chade")
    assert chad.name_ar == "تشاد"
    for country in Country.objects.filter(iso3__in=["GNB", "SOM", "UGA", "IRQ"]):
        assert country.name_en and country.name_fr and country.name_pt and country.name_ar
    assert Country.objects.get(iso3="GNB").name_fr == "Guinée-Bissau"
    assert Country.objects.filter(name_pt="").count() == 0


def test_it_flags_fcs_and_ldc():
    reference_load()

    flags = {
        c.iso3: (c.fragility, c.is_ldc) for c in Country.objects.filter(iso3__in=["TCD", "GNB", "SOM", "UGA", "IRQ"])
    }
    assert flags == {
        "TCD": (Country.Fragility.FRAGILITY, True),
        "GNB": (Country.Fragility.FRAGILITY, True),
        "SOM": (Country.Fragility.CONFLICT, True),
        "UGA": (Country.Fragility.NONE, True),
        "IRQ": (Country.Fragility.CONFLICT, False),
    }
    assert Country.objects.exclude(fragility="").count() == 38
    assert Country.objects.get(iso3="TCD").is_lldc
    assert Country.objects.get(iso3="GNB").is_sids


def test_it_writes_no_audit_records():
    reference_load()
    reference_load()

    assert AuditRecord.objects.count() == 0


def test_it_reports_a_malformed_file(data_dir: Path):
    _replace_line(data_dir / "countries.csv", 4, "AO,AGOLA,024,Angola,,,,,,,,,false,false,false,\n")

    with pytest.raises(ValidationFailed) as caught:
        reference_load(data_dir=data_dir)

    assert "countries.csv" in caught.value.message
    assert "row 3 (line 4)" in caught.value.message
    assert "iso3 'AGOLA'" in caught.value.message
    assert caught.value.errors == {"countries.csv": [caught.value.message.removeprefix("Reference data file ")]}
    assert Country.objects.count() == 0


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("AO,AGO,024,Angola,,,,,,,,,yes,false,false,\n", "is_ldc must be 'true' or 'false'"),
        ("AO,AGO,024,Angola,,,,,,,,,false,false,false,war\n", "fragility must be one of"),
        ("AO,AGO,024,Angola\n", "expected 16 fields"),
        ("AW,AGO,024,Angola,,,,,,,,,false,false,false,\n", "iso2 'AW' repeats row 1"),
    ],
)
def test_it_names_the_problem_in_a_row(data_dir: Path, line: str, problem: str):
    _replace_line(data_dir / "countries.csv", 4, line)

    with pytest.raises(ValidationFailed, match=re.escape("countries.csv, row 3 (line 4)")) as caught:
        reference_load(data_dir=data_dir)

    assert problem in caught.value.message


def test_it_reports_a_malformed_admin1_feature(data_dir: Path):
    path = data_dir / "admin1.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][4]["properties"]["iso3"] = "XXX"
    document["features"][6]["geometry"]["coordinates"][0].pop()
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(
        ValidationFailed, match=re.escape("admin1.geojson, feature 5, p-code 'TD05': iso3 'XXX' is not in")
    ):
        reference_load(data_dir=data_dir)

    document["features"][4]["properties"]["iso3"] = "TCD"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(
        ValidationFailed, match=re.escape("feature 7, p-code 'TD07': geometry has a ring that is not closed")
    ):
        reference_load(data_dir=data_dir)

    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=re.escape("admin1.geojson, line 1: not valid JSON")):
        reference_load(data_dir=data_dir)
    assert Country.objects.count() == 0


def test_it_reports_a_missing_file(tmp_path: Path):
    with pytest.raises(ValidationFailed, match=re.escape("countries.csv: not found")):
        reference_load(data_dir=tmp_path)


def test_it_reports_progress():
    seen: list[int] = []

    reference_load(progress=seen.append)

    assert sum(seen) == reference_total() == 249 + 72


def test_the_command_prints_a_summary():
    out = StringIO()
    call_command("load_reference", stdout=out)
    call_command("load_reference", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines == [
        "Countries: 249 created, 0 updated, 0 unchanged; admin units: 72 created, 0 updated, 0 unchanged.",
        "Countries: 0 created, 0 updated, 249 unchanged; admin units: 0 created, 0 updated, 72 unchanged.",
    ]


def test_the_command_fails_on_a_malformed_file(data_dir: Path):
    _replace_line(data_dir / "countries.csv", 2, "garbage\n")

    with pytest.raises(CommandError, match=re.escape("countries.csv, row 1 (line 2)")):
        call_command("load_reference", data_dir=data_dir, stdout=StringIO())
