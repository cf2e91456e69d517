"""The BI warehouse: star schema from a fake store, SCD2 history, files, DuckDB, questions."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.bi import database
from pipeline.bi.build import Summary, build_warehouse, store_to_tables
from pipeline.bi.questions import EXAMPLE_PARTIES, QUESTIONS
from pipeline.errors import StoreError
from pipeline.read.responsibility import load_roles, parse_owner_cell
from schemas.warehouse import (
    TABLES,
    ActivityHistory,
    DimActivity,
    DimRevision,
    FactChange,
    FactResponsibility,
    columns,
    primary_key,
)

DOC = "support-comparison"
R1, R2, R3 = date(2020, 2, 10), date(2021, 6, 15), date(2022, 3, 1)
QUOTING, ACCESS, SUPPORT = "Quoting & Ordering", "Customer IBX Access", "Equinix Support"
SS = "Self-service on ECP"

STORE_COLUMNS = [
    "phase", "activity", "self_service", "reseller_owner", "direct_owner",
    "order", "pages", "self_service_status", "activity_id",
]
CHANGE_COLUMNS = [
    "change", "phase", "activity", "field", "old", "new", "activity_id", "similarity",
    "responsibility_change", "old_phase", "new_phase", "summary",
]

A1 = ("a1", QUOTING, "Customer requests a quote", "",
      "EUC contacts reseller for quotes and pricing.", "EUC contacts EQIX AE for quotes & pricing.",
      "not_stated")
A2_R1 = ("a2", QUOTING, "Primary Owner of EUC (relationship).", "",
         "Reseller leads the relationship. EQIX AE supports reseller.",
         "EQIX AE leads the EUC relationship. No reseller participation.", "not_stated")
A2_R2 = (*A2_R1[:4], "EQIX AE leads the relationship. Reseller supports EQIX AE.", *A2_R1[5:])
A3 = ("a3", ACCESS, "Request cross connect", SS,
      "Reseller may order on ECP or set EUC user permission to allow EUC self-service.",
      "EUC Master Admin sets EUC user permissions to allow EUC to self order.", "available")
A4_R1 = ("a4", ACCESS, "Request ECX Fabric Port", "Self-service not available",
         "EUC submits order to reseller for port. Reseller assigns ECX port and notifies EUC.",
         "EUC orders port and self-configures.", "not_available")
A4_R2 = (*A4_R1[:3], SS, *A4_R1[4:6], "available")
A5 = ("a5", SUPPORT, "Order PDUs", "", "EUC orders from reseller. Reseller orders from AE",
      "EUC orders from AE.", "not_stated")
A6_R2 = ("a6", SUPPORT, "Order SmartView", "", "Reseller orders on ECP for EUC.",
         "EUC orders from AE.", "not_stated")
A6_R3 = (A6_R2[0], A6_R2[1], "Order SmartView services", *A6_R2[3:])
A7_R1 = ("a7", ACCESS, "Orders ECX Fabric Virtual Connection", SS,
         "Reseller sets EUC user permission to allow self-ordering and configuring ECX VC.",
         "EUC user self-orders and configures ECX VCs.", "available")
A7_R2 = (*A7_R1[:3], "", *A7_R1[4:6], "not_stated")

#: Three revisions: a2 changes owner, a4 becomes self-service, a5 is removed then comes back,
#: a6 is added then reworded, a7 loses self-service and gets it back, a1 and a3 never change.
REVISIONS = {
    R1: [A1, A2_R1, A3, A4_R1, A7_R1, A5],
    R2: [A1, A2_R2, A3, A4_R2, A7_R2, A6_R2],
    R3: [A1, A2_R2, A3, A4_R2, A7_R1, A5, A6_R3],
}
GLOSSARY = {R1: [("AE", "Equinix Account Executive")], R2: [("AE", "Account Executive"),
            ("CSM", "Customer Success Manager")], R3: [("CSM", "Customer Success Manager")]}
CHANGES = {
    (R1, R2): [
        ("modified", QUOTING, A2_R1[2], "reseller_owner", A2_R1[4], A2_R2[4], "a2", "true"),
        ("modified", ACCESS, A4_R1[2], "self_service", A4_R1[3], SS, "a4", "false"),
        ("modified", ACCESS, A7_R1[2], "self_service", SS, "", "a7", "false"),
        ("removed", SUPPORT, A5[2], "", "", "", "a5", "true"),
        ("added", SUPPORT, A6_R2[2], "", "", "", "a6", "true"),
    ],
    (R2, R3): [
        ("modified", ACCESS, A7_R1[2], "self_service", "", SS, "a7", "false"),
        ("added", SUPPORT, A5[2], "", "", "", "a5", "true"),
        ("reworded", SUPPORT, A6_R3[2], "", A6_R2[2], A6_R3[2], "a6", "false"),
    ],
}


def write_csv(path: Path, header: list[str], rows: list[tuple[object, ...]]) -> None:
    """A path, a header and rows → a UTF-8 CSV file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_revision(root: Path, document_id: str, when: date, acts: list[tuple[str, ...]],
                   glossary: list[tuple[str, str]]) -> None:
    """Activities and glossary of one revision → the store's files for it."""
    folder = root / document_id / when.isoformat()
    rows = [(p, a, s, r, d, i, "1", st, aid) for i, (aid, p, a, s, r, d, st) in enumerate(acts, 1)]
    write_csv(folder / "activities.csv", STORE_COLUMNS, rows)
    write_csv(folder / "glossary.csv", ["term", "definition"], glossary)
    meta = {
        "document_id": document_id, "title": f"Support Comparison {when.year}",
        "subtitle": "Reseller vs Direct", "revision_label": when.strftime("%d%b%y"),
        "revision_date": when.isoformat(), "revision_date_source": "label",
        "source_file": f"job_aid_{when.isoformat()}.pdf", "source_sha256": "0" * 64,
        "page_count": 2, "pipeline_version": "0.1.0",
        "counts": {"activities": len(acts), "phases": 3, "glossary_terms": len(glossary)},
    }
    (folder / "revision.json").write_text(json.dumps(meta), encoding="utf-8")


def write_changes(root: Path, document_id: str, old: date, new: date,
                  changes: list[tuple[str, ...]]) -> None:
    """One consecutive pair's changes → the store's changes.csv for it."""
    rows = [(c, p, a, f, o, n, aid, "1.0", rc, "", "", f"{c} {a}")
            for c, p, a, f, o, n, aid, rc in changes]
    path = root / document_id / "changes" / f"{old}__{new}" / "changes.csv"
    write_csv(path, CHANGE_COLUMNS, rows)


def write_fake_store(root: Path, revisions: dict[date, list[tuple[str, ...]]] = REVISIONS,
                     document_id: str = DOC) -> Path:
    """The three-revision fixture (or given revisions) → a store folder under root."""
    for when, acts in revisions.items():
        write_revision(root, document_id, when, acts, GLOSSARY.get(when, []))
    for (old, new), changes in CHANGES.items():
        if old in revisions and new in revisions:
            write_changes(root, document_id, old, new, changes)
    return root


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return write_fake_store(tmp_path / "store")


@pytest.fixture
def tables(store: Path) -> dict[str, pd.DataFrame]:
    return store_to_tables(store)


def rows_of(frame: pd.DataFrame, cols: list[str]) -> list[tuple[object, ...]]:
    """A frame and columns → its rows as tuples (nulls as None)."""
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame[cols].itertuples(False)]


# --------------------------------------------------------------------------- tables


def test_every_table_is_built_and_valid(tables: dict[str, pd.DataFrame]) -> None:
    assert list(tables) == list(TABLES)
    for name, model in TABLES.items():
        model.validate(tables[name])
        assert list(tables[name].columns) == columns(model), name
        assert not tables[name].duplicated(primary_key(model)).any(), name


def test_dim_revision_orders_revisions(tables: dict[str, pd.DataFrame]) -> None:
    R = DimRevision
    got = rows_of(tables["dim_revision"], [R.revision_key, R.revision_date, R.activity_count,
                                           R.is_latest, R.previous_revision_date])
    assert got == [
        (f"{DOC}|2020-02-10", R1, 6, False, None),
        (f"{DOC}|2021-06-15", R2, 6, False, R1),
        (f"{DOC}|2022-03-01", R3, 7, True, R2),
    ]


def test_dim_document_takes_titles_from_the_latest_revision(
    tables: dict[str, pd.DataFrame],
) -> None:
    doc = tables["dim_document"].iloc[0]
    assert (doc["title"], doc["first_revision_date"], doc["latest_revision_date"]) == (
        "Support Comparison 2022", R1, R3)
    assert doc["revision_count"] == 3


def test_dim_activity_has_current_text_and_span(tables: dict[str, pd.DataFrame]) -> None:
    D = DimActivity
    got = {r[0]: r[1:] for r in rows_of(tables["dim_activity"],
                                        [D.activity_id, D.activity, D.first_seen, D.last_seen,
                                         D.is_current])}
    assert got["a6"] == ("Order SmartView services", R2, R3, True)
    assert got["a5"] == ("Order PDUs", R1, R3, True)
    assert got["a1"] == ("Customer requests a quote", R1, R3, True)
    assert len(got) == 7


def test_dim_phase_and_glossary(tables: dict[str, pd.DataFrame]) -> None:
    phases = tables["dim_phase"]
    assert set(phases["phase"]) == {QUOTING, ACCESS, SUPPORT}
    assert phases["is_current"].all()
    glossary = tables["dim_glossary"]
    assert len(glossary) == 4
    assert rows_of(glossary[glossary["revision_date"] == R2], ["term", "definition"]) == [
        ("AE", "Account Executive"), ("CSM", "Customer Success Manager")]


def test_fact_responsibility_has_one_row_per_activity_and_revision(
    tables: dict[str, pd.DataFrame],
) -> None:
    F = FactResponsibility
    fact = tables["fact_responsibility"]
    assert len(fact) == 6 + 6 + 7
    a2 = fact[fact[F.activity_id] == "a2"].set_index(F.revision_date)
    assert a2.loc[R1, F.reseller_lead] == "Reseller"
    assert a2.loc[R2, F.reseller_lead] == "EQIX AE"
    assert a2.loc[R1, F.reseller_parties] == "Reseller;EQIX AE"
    assert a2.loc[R2, F.reseller_parties] == "EQIX AE;Reseller"
    first = fact[fact[F.revision_date] == R1]
    assert list(first[F.activity_order]) == [1, 2, 3, 4, 5, 6]
    assert list(first[F.activity_id]) == ["a1", "a2", "a3", "a4", "a7", "a5"]


def test_parties_and_leads_come_from_the_owner_cell_parser(tables: dict[str, pd.DataFrame]) -> None:
    F = FactResponsibility
    roles = load_roles()
    for row in tables["fact_responsibility"].to_dict("records"):
        parsed = parse_owner_cell(row[F.direct_owner], roles)
        assert (None if pd.isna(row[F.direct_lead]) else row[F.direct_lead]) == parsed.lead
        assert set(filter(None, row[F.direct_parties].split(";"))) == set(parsed.parties)


def test_fact_involvement_has_one_row_per_party_and_part(tables: dict[str, pd.DataFrame]) -> None:
    inv = tables["fact_involvement"]
    assert list(inv.columns[:9]) == [
        "revision_key", "document_id", "revision_date", "activity_id", "activity", "phase",
        "path", "party", "role",
    ]
    a2 = inv[(inv["activity_id"] == "a2") & (inv["revision_date"] == R1)]
    assert sorted(rows_of(a2, ["path", "party", "role"])) == [
        ("direct", "EQIX AE", "lead"),  # "No reseller participation." gives the Reseller no row
        ("reseller", "EQIX AE", "support"),
        ("reseller", "Reseller", "lead"),
    ]
    a2_new = inv[(inv["activity_id"] == "a2") & (inv["revision_date"] == R2)]
    assert ("reseller", "Reseller", "support") in rows_of(a2_new, ["path", "party", "role"])
    a4 = inv[inv["activity_id"] == "a4"]
    assert rows_of(a4[a4["path"] == "self_service"], ["revision_date", "party", "role"]) == [
        (R2, "EUC", "lead"), (R3, "EUC", "lead")]  # not available in R1: no row
    assert set(inv["path"]) <= {"self_service", "reseller", "direct"}
    assert set(inv["role"]) == {"lead", "support"}


def test_dim_party_describes_every_party_per_document(tables: dict[str, pd.DataFrame]) -> None:
    party = tables["dim_party"].set_index("party")
    assert party.loc["CSM", "full_name"] == "Equinix Customer Success Manager"
    assert party.loc["CSM", "kind"] == "account team"
    assert party.loc["GSD", "kind"] == "service desk"
    assert party.loc["Smart Hands", "kind"] == "on-site service"
    assert party.loc["ECP", "kind"] == "portal"
    assert party.loc["EUC", "kind"] == "customer"
    assert all(party["does"].str.len() > 20)
    involved = set(tables["fact_involvement"]["party"])
    assert involved <= set(party.index)


def test_fact_change_keeps_every_change_of_consecutive_pairs(
    tables: dict[str, pd.DataFrame],
) -> None:
    C = FactChange
    changes = tables["fact_change"]
    assert len(changes) == 8
    first = changes[changes[C.new_revision_date] == R2]
    assert list(first[C.change_number]) == [1, 2, 3, 4, 5]
    assert list(first[C.change]) == ["modified", "modified", "modified", "removed", "added"]
    # read from fact_involvement, whatever the stored list says: the self-service cells of a4 and
    # a7 give and take the customer's self-service lead, so they change who is responsible too
    assert list(first[C.responsibility_change]) == [True, True, True, True, True]
    a2 = first.iloc[0]
    assert (a2[C.lead_gained], a2[C.lead_lost]) == ("reseller:EQIX AE", "reseller:Reseller")
    assert (a2[C.support_gained], a2[C.support_lost]) == ("reseller:Reseller", "reseller:EQIX AE")
    assert (first.iloc[1][C.lead_gained], first.iloc[2][C.lead_lost]) == ("self_service:EUC", "self_service:EUC")
    second = changes[changes[C.new_revision_date] == R3]
    assert list(second[C.responsibility_change]) == [True, True, False]  # the rewording is not
    assert set(changes[C.old_revision_date]) == {R1, R2}


def test_a_changes_folder_of_a_non_consecutive_pair_is_ignored(store: Path) -> None:
    write_changes(store, DOC, R1, R3, CHANGES[(R1, R2)])
    changes = store_to_tables(store)["fact_change"]
    assert len(changes) == 8


def test_folders_without_revision_json_are_not_revisions(store: Path) -> None:
    (store / DOC / "2023-01-01").mkdir()
    (store / "bi").mkdir()
    assert len(store_to_tables(store)["dim_revision"]) == 3


def test_an_empty_store_gives_empty_valid_tables(tmp_path: Path) -> None:
    tables = store_to_tables(tmp_path)
    assert all(frame.empty for frame in tables.values())


def test_activity_history_is_scd2(tables: dict[str, pd.DataFrame]) -> None:
    H = ActivityHistory
    history = tables["activity_history"]
    got = {}
    for aid, group in history.groupby(H.activity_id):
        got[aid] = rows_of(group, [H.valid_from, H.valid_to, H.is_current])
    assert got["a1"] == [(R1, None, True)]
    assert got["a3"] == [(R1, None, True)]
    assert got["a2"] == [(R1, R2, False), (R2, None, True)]
    assert got["a4"] == [(R1, R2, False), (R2, None, True)]
    assert got["a5"] == [(R1, R2, False), (R3, None, True)]  # removed, then back
    assert got["a6"] == [(R2, R3, False), (R3, None, True)]  # reworded
    assert got["a7"] == [(R1, R2, False), (R2, R3, False), (R3, None, True)]
    a2 = history[history[H.activity_id] == "a2"]
    assert list(a2[H.reseller_owner]) == [A2_R1[4], A2_R2[4]]


def test_activity_history_ignores_columns_outside_the_contract(tmp_path: Path) -> None:
    revisions = {R1: [A1, A3], R2: [A3, A1]}  # only the order changes
    tables = store_to_tables(write_fake_store(tmp_path, revisions))
    assert len(tables["activity_history"]) == 2


def test_a_removed_activity_is_not_current(tmp_path: Path) -> None:
    tables = store_to_tables(write_fake_store(tmp_path, {R1: [A1, A5], R2: [A1]}))
    history = tables["activity_history"].set_index("activity_id")
    assert history.loc["a5", "valid_to"] == R2
    assert not history.loc["a5", "is_current"]
    assert not tables["dim_activity"].set_index("activity_id").loc["a5", "is_current"]


def test_a_revision_missing_a_column_is_a_store_error(store: Path) -> None:
    path = store / DOC / R1.isoformat() / "activities.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["activity_id"])
    frame.to_csv(path, index=False)
    with pytest.raises(StoreError, match="activity_id"):
        store_to_tables(store)


# --------------------------------------------------------------------------- files


@pytest.fixture
def built(store: Path) -> Summary:
    return build_warehouse(store)


def test_build_writes_database_and_bi_files(store: Path, built: Summary) -> None:
    assert built.database == store / "warehouse.duckdb"
    for name in TABLES:
        assert (store / "bi" / f"{name}.parquet").is_file()
        assert (store / "bi" / f"{name}.csv").is_file()
    assert built.row_counts["fact_responsibility"] == 19
    assert not list(store.glob("*.tmp-*")) and not list((store / "bi").glob(".*.tmp-*"))


def test_the_database_opens_in_a_fresh_process(store: Path, built: Summary) -> None:
    script = textwrap.dedent(
        """
        import json, sys, duckdb
        con = duckdb.connect(sys.argv[1], read_only=True)
        sql = "SELECT table_name FROM information_schema.tables"
        names = [r[0] for r in con.execute(sql).fetchall()]
        count = lambda n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
        print(json.dumps({n: count(n) for n in names}))
        """
    )
    out = subprocess.run([sys.executable, "-c", script, str(built.database)],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == built.row_counts


def test_the_database_has_the_model_types_and_comments(built: Summary) -> None:
    with duckdb.connect(str(built.database), read_only=True) as con:
        types = dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'dim_revision'").fetchall())
        comment = con.execute(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'dim_revision' "
            "AND column_name = 'is_latest'").fetchone()
    assert types["revision_date"] == "DATE" and types["is_latest"] == "BOOLEAN"
    assert types["page_count"] == "BIGINT"
    assert comment == (DimRevision.to_schema().columns["is_latest"].description,)


def test_datapackage_describes_every_table_and_field(store: Path, built: Summary) -> None:
    package = json.loads((store / "bi" / "datapackage.json").read_text())
    assert package["$schema"].endswith("/2.0/datapackage.json")
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {*TABLES, *(f"{name}-csv" for name in TABLES)}
    for name, model in TABLES.items():
        for resource in (resources[name], resources[f"{name}-csv"]):
            schema = resource["schema"]
            assert [f["name"] for f in schema["fields"]] == columns(model)
            assert all(f["description"] for f in schema["fields"])
            assert schema["primaryKey"] == primary_key(model)
            assert (store / "bi" / resource["path"]).is_file()
            for fk in schema["foreignKeys"]:
                assert fk["reference"]["resource"] in resources
        parquet = pq.read_schema(store / "bi" / resources[name]["path"])
        assert parquet.names == columns(model)
        with open(store / "bi" / resources[f"{name}-csv"]["path"], encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == columns(model)


def test_datapackage_types_match_the_parquet_types(store: Path, built: Summary) -> None:
    package = json.loads((store / "bi" / "datapackage.json").read_text())
    arrow_names = {"string": "string", "integer": "int64", "boolean": "bool", "date": "date32[day]"}
    for resource in package["resources"]:
        if resource["format"] != "parquet":
            continue
        parquet = pq.read_schema(store / "bi" / resource["path"])
        for f in resource["schema"]["fields"]:
            assert str(parquet.field(f["name"]).type) == arrow_names[f["type"]], f["name"]


def test_csv_round_trips_to_the_same_table(store: Path, built: Summary) -> None:
    parquet = pd.read_parquet(store / "bi" / "activity_history.parquet")
    text = pd.read_csv(store / "bi" / "activity_history.csv", dtype=str, keep_default_na=False)
    assert len(text) == len(parquet)
    assert list(text["is_current"].unique()) in (["false", "true"], ["true", "false"])
    assert set(text.loc[text["is_current"] == "true", "valid_to"]) == {""}
    assert (text["self_service"] == "").any()  # blanks stay blank strings


def test_building_twice_gives_identical_files(store: Path, built: Summary) -> None:
    files = lambda: {p: p.read_bytes() for p in [*(store / "bi").rglob("*"), store / "index.html"] if p.is_file()}  # noqa: E731
    first = files()
    build_warehouse(store)
    assert files() == first


def test_a_reader_on_the_old_file_neither_blocks_nor_sees_the_rebuild(
    store: Path, built: Summary,
) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(
            """
            import sys, duckdb
            con = duckdb.connect(sys.argv[1], read_only=True)
            count = lambda: con.execute("SELECT count(*) FROM dim_revision").fetchone()[0]
            print(count(), flush=True)
            sys.stdin.readline()
            print(count(), flush=True)
            """), str(built.database)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "3"
        write_revision(store, DOC, date(2023, 1, 1), REVISIONS[R3], [])
        summary = build_warehouse(store)  # must not wait for the reader
        assert summary.row_counts["dim_revision"] == 4
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "3"  # still the old file
    finally:
        reader.kill()
        reader.wait()
    out = subprocess.run(
        [sys.executable, "-c", "import sys, duckdb; print(duckdb.connect(sys.argv[1], "
         "read_only=True).execute('SELECT count(*) FROM dim_revision').fetchone()[0])",
         str(summary.database)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "4"


def test_a_failed_build_leaves_the_old_database(store: Path, built: Summary,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = built.database.read_bytes()

    def broken(*args: object) -> str:
        return "CREATE TABLE broken ("  # fails in the DuckDB load's own process

    monkeypatch.setattr(database, "create_table_sql", broken)
    with pytest.raises(RuntimeError, match="DuckDB"):
        build_warehouse(store)
    assert built.database.read_bytes() == before
    assert not list(store.glob("warehouse.duckdb.tmp-*"))


# --------------------------------------------------------------------------- questions


def ask(database: Path, name: str, **params: str) -> list[tuple[object, ...]]:
    """A question's name and parameters → its rows from the DuckDB warehouse."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(QUESTIONS[name], params or None).fetchall()


def test_question_owner_changes(built: Summary) -> None:
    rows = ask(built.database, "owner_changes", old_date="2020-02-10", new_date="2021-06-15")
    assert [(r[1], r[4], r[5]) for r in rows] == [("a2", "Reseller", "EQIX AE")]
    rows = ask(built.database, "owner_changes", old_date="2020-02-10", new_date="2022-03-01")
    assert [r[1] for r in rows] == ["a2"]
    assert ask(built.database, "owner_changes", old_date="2021-06-15", new_date="2022-03-01") == []


def test_question_reseller_leads_today(store: Path, built: Summary) -> None:
    rows = ask(built.database, "reseller_leads_today")
    roles = load_roles()
    expected = [a[2] for a in REVISIONS[R3] if parse_owner_cell(a[4], roles).lead == "Reseller"]
    assert [r[3] for r in rows] == expected
    assert A2_R1[2] not in expected and A3[2] in expected
    assert {r[1] for r in rows} == {R3}


def test_question_self_service_today(built: Summary) -> None:
    rows = ask(built.database, "self_service_today")
    assert [(r[2], r[4]) for r in rows] == [
        (A3[2], R1),  # always self-service
        (A4_R1[2], R2),  # became self-service in R2
        (A7_R1[2], R3),  # lost it in R2, back in R3: since R3
    ]


def test_question_party_leads_today(built: Summary) -> None:
    rows = ask(built.database, "party_leads_today", party="Reseller")
    roles = load_roles()
    expected = [(a[2], "reseller") for a in REVISIONS[R3] if "Reseller" in parse_owner_cell(a[4], roles).leads]
    assert [(r[3], r[4]) for r in rows] == expected
    assert (A3[2], "reseller") in expected
    direct = ask(built.database, "party_leads_today", party="EQIX AE")
    assert [(r[3], r[4]) for r in direct] == [(A2_R1[2], "direct"), (A2_R1[2], "reseller")]
    assert ask(built.database, "party_leads_today", party="CSM") == []


def test_question_party_changes_latest(built: Summary) -> None:
    # R2 → R3: "Order PDUs" comes back; its reseller cell gives the Reseller a supporting part
    rows = ask(built.database, "party_changes_latest", party="Reseller")
    assert [(r[1], r[3], r[4], r[5]) for r in rows] == [("a5", "reseller", None, "support")]
    euc = ask(built.database, "party_changes_latest", party="EUC")
    assert ("a7", "self_service", None, "lead") in [(r[1], r[3], r[4], r[5]) for r in euc]


def test_the_readme_shows_the_party_questions_as_they_run() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for name, party in EXAMPLE_PARTIES.items():
        assert QUESTIONS[name].replace("$party", f"'{party}'") in readme, name


def test_every_question_is_in_the_data_dictionary() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    for sql in QUESTIONS.values():
        assert sql in doc


def test_the_data_dictionary_lists_every_table_and_column() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    for name, model in TABLES.items():
        assert f"### `{name}`" in doc
        for column, spec in model.to_schema().columns.items():
            assert f"| `{column}` |" in doc and spec.description in doc, (name, column)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_quick_verdict_on_every_table_is_pandera_verdict(tables: dict[str, pd.DataFrame], name: str) -> None:
    from pipeline.bi.records import model_schema, validate_table
    from pipeline.read.validate import passes

    model, frame = TABLES[name], tables[name]
    schema = model_schema(model)
    assert passes(schema, frame) and validate_table(frame, model) is frame  # a valid table skips pandera
    doubled = pd.concat([frame, frame.head(1)], ignore_index=True)  # a repeated key breaks uniqueness
    assert not passes(schema, doubled)
    with pytest.raises(StoreError, match="breaks its contract"):
        validate_table(doubled, model)
    missing = frame.drop(columns=[next(iter(schema.columns))])
    assert not passes(schema, missing)


@pytest.mark.parametrize(("chosen", "used"), [(None, "system"), ("mimalloc", "mimalloc")])
def test_arrow_gives_back_what_it_frees_unless_the_user_chose_a_pool(chosen: str | None, used: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if chosen:
        env["ARROW_DEFAULT_MEMORY_POOL"] = chosen
    code = "import pipeline, pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == used
