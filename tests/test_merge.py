"""Re-applying an edit on top of a version saved meanwhile (jdcore.store.merge.reapply), a
three-way merge: field by field, and the lists item by item, so that changes that do not
overlap all survive; where both sides changed the same thing differently, a conflict the
user chooses, never a silent choice."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from jdcore.formats.writer import dump_yaml
from jdcore.store.editing import role_data
from jdcore.store.merge import ABSENT, MINE, THEIRS, reapply

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "data" / "roles" / "head-of-sales.yaml").read_text(encoding="utf-8")
DATA = role_data(BASE)
DUTY_A = "Negotiate with potential dealers or buyers"
DUTY_B = "Plan purchases and sales for the month, quarter and year"


def changed(change) -> str:
    data = copy.deepcopy(DATA)
    change(data)
    return dump_yaml(data)


def duty(data: dict, text: str) -> dict:
    return next(d for d in data["responsibilities"] if d["text"] == text)


def merged_data(mine, theirs, choices=None) -> dict:
    merge = reapply(BASE, changed(mine), changed(theirs))
    return role_data(merge.document(choices))


def new_duty(text: str) -> dict:
    return {"text": text, "category": "operations", "frequency": "weekly", "time_share": "5",
            "essential": "false", "source": "seed"}


def test_changes_to_different_fields_both_survive():
    merge = reapply(BASE, changed(lambda d: d.update(title="Mine")),
                    changed(lambda d: d.update(headcount="2")))
    assert merge.conflicts == ()
    data = role_data(merge.document())
    assert (data["title"], data["headcount"]) == ("Mine", "2")


def test_the_same_change_on_both_sides_is_no_conflict():
    merge = reapply(BASE, changed(lambda d: d.update(title="Same")),
                    changed(lambda d: d.update(title="Same")))
    assert merge.conflicts == () and role_data(merge.document())["title"] == "Same"


def test_a_field_both_changed_differently_is_a_conflict_the_user_chooses():
    merge = reapply(BASE, changed(lambda d: d.update(title="Mine")),
                    changed(lambda d: d.update(title="Theirs")))
    [conflict] = merge.conflicts
    assert (conflict.section, conflict.what, conflict.base_text, conflict.mine_text,
            conflict.theirs_text) == ("title", "both changed", "Head of Sales Department",
                                      "Mine", "Theirs")
    with pytest.raises(ValueError, match="choose yours or theirs for 1 conflict"):
        merge.document()
    assert role_data(merge.document({0: MINE}))["title"] == "Mine"
    assert role_data(merge.document({0: THEIRS}))["title"] == "Theirs"


def test_sub_fields_merge_one_by_one():
    data = merged_data(lambda d: d["authority"].update(freedom_to_make_decisions="5"),
                       lambda d: d["authority"].update(impact_of_decisions="1"))
    assert data["authority"]["freedom_to_make_decisions"] == "5"
    assert data["authority"]["impact_of_decisions"] == "1"


def test_duties_added_on_both_sides_both_survive_in_place():
    def mine(d):
        d["responsibilities"].insert(1, new_duty("Mine: visit the key dealers"))

    def theirs(d):
        d["responsibilities"].append(new_duty("Theirs: report to the board"))
    texts = [x["text"] for x in merged_data(mine, theirs)["responsibilities"]]
    assert texts[:3] == [DUTY_A, "Mine: visit the key dealers", DUTY_B]
    assert texts[-1] == "Theirs: report to the board"
    assert len(texts) == len(DATA["responsibilities"]) + 2


def test_different_fields_of_one_duty_both_survive():
    data = merged_data(lambda d: duty(d, DUTY_A).update(time_share="20"),
                       lambda d: duty(d, DUTY_A).update(frequency="daily"))
    assert (duty(data, DUTY_A)["time_share"], duty(data, DUTY_A)["frequency"]) == ("20", "daily")


def test_a_duty_i_reworded_keeps_the_time_share_they_changed():
    reworded = "Negotiate with potential dealers and buyers"
    data = merged_data(lambda d: duty(d, DUTY_A).update(text=reworded),
                       lambda d: duty(d, DUTY_A).update(time_share="25"))
    assert duty(data, reworded)["time_share"] == "25"
    assert DUTY_A not in [x["text"] for x in data["responsibilities"]]


def test_one_duty_field_both_changed_differently_is_a_conflict_naming_the_duty():
    merge = reapply(BASE, changed(lambda d: duty(d, DUTY_A).update(time_share="20")),
                    changed(lambda d: duty(d, DUTY_A).update(time_share="10")))
    [conflict] = merge.conflicts
    assert conflict.section == f"responsibilities: {DUTY_A}, time_share"
    assert (conflict.mine, conflict.theirs) == ("20", "10")
    assert duty(role_data(merge.document({0: THEIRS})), DUTY_A)["time_share"] == "10"


def remove(text):
    return lambda d: d.update(responsibilities=[x for x in d["responsibilities"]
                                                if x["text"] != text])


def test_a_duty_i_removed_and_they_changed_is_a_conflict():
    merge = reapply(BASE, changed(remove(DUTY_A)),
                    changed(lambda d: duty(d, DUTY_A).update(time_share="30")))
    [conflict] = merge.conflicts
    assert (conflict.section, conflict.what, conflict.mine) == (
        f"responsibilities: {DUTY_A}", "you removed it, they changed it", ABSENT)
    assert conflict.mine_text == "(removed)"
    assert DUTY_A not in [x["text"] for x in role_data(merge.document({0: MINE}))
                          ["responsibilities"]]
    assert duty(role_data(merge.document({0: THEIRS})), DUTY_A)["time_share"] == "30"


def test_a_duty_they_removed_and_i_changed_is_a_conflict():
    merge = reapply(BASE, changed(lambda d: duty(d, DUTY_A).update(time_share="30")),
                    changed(remove(DUTY_A)))
    [conflict] = merge.conflicts
    assert conflict.what == "they removed it, you changed it"
    assert duty(role_data(merge.document({0: MINE})), DUTY_A)["time_share"] == "30"
    assert DUTY_A not in [x["text"] for x in role_data(merge.document({0: THEIRS}))
                          ["responsibilities"]]


def test_a_duty_removed_on_one_side_and_left_alone_on_the_other_goes():
    data = merged_data(remove(DUTY_A), remove(DUTY_B))
    texts = [x["text"] for x in data["responsibilities"]]
    assert DUTY_A not in texts and DUTY_B not in texts
    assert len(texts) == len(DATA["responsibilities"]) - 2


def test_the_same_duty_added_on_both_sides_is_kept_once_or_is_a_conflict():
    same = merged_data(lambda d: d["responsibilities"].append(new_duty("Both: audit")),
                       lambda d: d["responsibilities"].append(new_duty("Both: audit")))
    assert [x["text"] for x in same["responsibilities"]].count("Both: audit") == 1
    other = dict(new_duty("Both: audit"), time_share="10")
    merge = reapply(BASE, changed(lambda d: d["responsibilities"].append(new_duty("Both: audit"))),
                    changed(lambda d: d["responsibilities"].append(other)))
    [conflict] = merge.conflicts
    assert conflict.what == "both added it differently"
    chosen = role_data(merge.document({0: THEIRS}))["responsibilities"]
    assert [x["time_share"] for x in chosen if x["text"] == "Both: audit"] == ["10"]


ITEMS = {
    "qualities": ({"name": "Patience", "kind": "personal"},
                  {"name": "Numeracy", "kind": "professional"}),
    "requirements": ({"kind": "skill", "text": "Negotiation"},
                     {"kind": "knowledge", "text": "Contract law"}),
    "rights": ({"area": "quality", "scope": "recommend"},
               {"area": "scheduling", "scope": "decide"}),
    "interactions": ({"with": "external: dealers", "direction": "both", "kind": "negotiation",
                      "subject": "Dealer terms"},
                     {"with": "chief-accountant", "direction": "out", "kind": "report",
                      "subject": "Monthly sales"}),
    "kpis": ({"name": "Dealer count", "target": "20"}, {"name": "Margin", "target": "12 %"}),
}


@pytest.mark.parametrize("name", list(ITEMS))
def test_items_added_to_a_list_on_both_sides_both_survive(name):
    mine_item, theirs_item = ITEMS[name]
    data = merged_data(lambda d: d.setdefault(name, []).append(mine_item),
                       lambda d: d.setdefault(name, []).append(theirs_item))
    assert mine_item in data[name] and theirs_item in data[name]
    assert len(data[name]) == len(DATA.get(name) or []) + 2


@pytest.mark.parametrize("name", list(ITEMS))
def test_an_item_one_side_removed_while_the_other_added_one(name):
    assert DATA[name], f"head-of-sales lists no {name}"
    first = DATA[name][0]
    data = merged_data(lambda d: d[name].pop(0),
                       lambda d: d[name].append(ITEMS[name][1]))
    assert first not in data[name] and ITEMS[name][1] in data[name]


def test_dotted_lines_added_on_both_sides_both_survive():
    data = merged_data(lambda d: d.update(dotted_to=["chief-accountant"]),
                       lambda d: d.update(dotted_to=["marketing-manager"]))
    assert sorted(data["dotted_to"]) == ["chief-accountant", "marketing-manager"]


def test_a_document_that_cannot_be_read_is_kept_as_the_edit():
    merge = reapply(BASE, "title: [unclosed", BASE)
    assert merge.conflicts == () and merge.document() == "title: [unclosed"


def test_accountabilities_added_on_both_sides_both_survive():
    def add(text):
        return lambda d: d.setdefault("accountabilities", []).append(
            {"text": text, "source": "seed"})
    merge = reapply(BASE, changed(add("Mine to answer for")), changed(add("Theirs too")))
    assert merge.conflicts == ()
    texts = [a["text"] for a in role_data(merge.document())["accountabilities"]]
    assert sorted(texts) == ["Mine to answer for", "Theirs too"]
