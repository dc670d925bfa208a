"""Keeping duty matching up to date after an edit: Neighbours, neighbours_after_edit, the duty
signatures that tell which roles changed, and the app's Lineage that derives a new
catalogue's index and overlap neighbours from the previous catalogue's."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from jdcore.analysis import matching
from jdcore.analysis.findings import (OVERLAP_NEIGHBOURS, OVERLAP_THRESHOLD, FindingContext,
                                      find_findings, missing_decision_rights)
from jdcore.analysis.matching import (DERIVE_MAX_SHARE, DutyIndex, changed_roles, derivable,
                                      duty_signatures, fit_duty_index, nearest_duties,
                                      neighbour_search, neighbours_after_edit, replace_roles,
                                      stem)


def _duties(catalogue):
    return catalogue.duties[["role_id", "duty_no", "text"]].reset_index(drop=True)


def _edited(duties, role_id, texts):
    kept = duties[duties["role_id"] != role_id]
    new = pd.DataFrame({"role_id": role_id, "duty_no": range(1, len(texts) + 1), "text": texts})
    return pd.concat([kept, new], ignore_index=True)


@pytest.mark.parametrize("k, threshold, other_roles_only", [
    (5, matching.SIMILAR_THRESHOLD, True), (3, 0.1, True), (2, 0.3, False),
    (OVERLAP_NEIGHBOURS, OVERLAP_THRESHOLD, True)])
def test_neighbour_search_table_is_nearest_duties(catalogue, k, threshold, other_roles_only):
    index = fit_duty_index(_duties(catalogue))
    found = neighbour_search(index, k=k, threshold=threshold, other_roles_only=other_roles_only)
    pd.testing.assert_frame_equal(found.table(), nearest_duties(
        index, k=k, threshold=threshold, other_roles_only=other_roles_only))
    keep = found.values >= 0.5
    part = found.table(keep)
    assert len(part) == int(keep.sum()) and (part["similarity"] >= 0.5).all()
    whole = found.table()
    assert part["rank"].tolist() == whole.loc[keep, "rank"].tolist()  # ranks of the search


@pytest.mark.parametrize("k, threshold, other_roles_only", [
    (5, matching.SIMILAR_THRESHOLD, True), (3, 0.1, True), (2, 0.3, False), (4, 0.6, True)])
@pytest.mark.parametrize("edit", ["reworded", "fewer", "removed", "copied", "new role"])
def test_neighbours_after_edit_equal_an_exact_search_of_the_new_index(catalogue, k, threshold,
                                                                      other_roles_only, edit):
    duties = _duties(catalogue)
    before = neighbour_search(fit_duty_index(duties), k=k, threshold=threshold,
                              other_roles_only=other_roles_only, method="exact")
    own = duties.loc[duties["role_id"] == "procurement-manager", "text"].tolist()
    other = duties.loc[duties["role_id"] == "head-of-logistics", "text"].tolist()
    role = "new-buyer" if edit == "new role" else "procurement-manager"
    texts = {"reworded": [t + " and report on it" for t in own], "fewer": own[:3],
             "removed": [], "copied": other, "new role": own[:4]}[edit]
    after_duties = _edited(duties, role, texts)
    after = neighbours_after_edit(before, after_duties, [role])
    assert after.index.vectorizer is before.index.vectorizer
    assert (after.index.keys["role_id"] == role).sum() == len(texts)
    assert after.index.replaced.sum() == len(texts)
    expected = replace_roles(before.index, after_duties, [role])
    assert (after.index.matrix != expected.matrix).nnz == 0
    pd.testing.assert_frame_equal(after.table(), nearest_duties(
        after.index, k=k, threshold=threshold, other_roles_only=other_roles_only,
        method="exact"))


def test_neighbours_after_two_edits_stay_exact_and_count_the_replaced_rows(catalogue):
    duties = _duties(catalogue)
    first = neighbour_search(fit_duty_index(duties), k=4, method="exact")
    one = _edited(duties, "estimator", ["Estimate the cost of each site", "Weld steel beams"])
    two = _edited(one, "site-foreman", ["Check the safety of the scaffolding"])
    after = neighbours_after_edit(neighbours_after_edit(first, one, ["estimator"]), two,
                                  ["site-foreman"])
    assert after.index.replaced.sum() == 3
    pd.testing.assert_frame_equal(after.table(),
                                  nearest_duties(after.index, k=4, method="exact"))


def test_duty_signatures_tell_the_roles_whose_duties_changed(catalogue):
    duties = _duties(catalogue)
    before = duty_signatures(duties)
    assert changed_roles(before, duty_signatures(duties.iloc[::-1])) == set()  # order
    reworded = duties.copy()
    reworded.loc[reworded.index[reworded["role_id"] == "estimator"][0], "text"] += " again"
    assert changed_roles(before, duty_signatures(reworded)) == {"estimator"}
    renumbered = duties.copy()
    renumbered.loc[renumbered["role_id"] == "hr-manager", "duty_no"] += 100
    assert changed_roles(before, duty_signatures(renumbered)) == {"hr-manager"}
    grown = _edited(duties, "new-role", ["Count the stock"])
    shrunk = duties[duties["role_id"] != "site-foreman"]
    assert changed_roles(before, duty_signatures(grown)) == {"new-role"}
    assert changed_roles(before, duty_signatures(shrunk)) == {"site-foreman"}
    assert changed_roles(duty_signatures(duties.iloc[:0]), before) == set(duties["role_id"])


def test_an_index_is_derived_only_while_few_of_its_rows_were_vectorised_after_the_fit(
        catalogue):
    duties = _duties(catalogue)
    index = fit_duty_index(duties)
    roles = duties["role_id"].drop_duplicates().tolist()
    assert derivable(index, duties, roles[:1])
    assert not derivable(index, duties, roles)
    # changed one by one, the replaced rows add up until a fit is due again
    steps = 0
    while derivable(index, duties, [roles[steps]]):
        index = replace_roles(index, duties, [roles[steps]])
        steps += 1
    assert index.replaced.sum() <= DERIVE_MAX_SHARE * len(index.keys)
    assert index.replaced.sum() + (duties["role_id"] == roles[steps]).sum() \
        > DERIVE_MAX_SHARE * len(index.keys)


def test_findings_from_a_given_search_are_those_searched_here(catalogue):
    index = fit_duty_index(catalogue.duties)
    graph = neighbour_search(index, k=OVERLAP_NEIGHBOURS, threshold=OVERLAP_THRESHOLD)
    pd.testing.assert_frame_equal(find_findings(catalogue, None, graph),
                                  find_findings(catalogue, index))


def test_a_replaced_duty_with_words_new_to_the_vocabulary_is_checked_for_decision_rights(
        catalogue):
    # the decision-rights rule normalises only the duties whose index row holds a rule's
    # words; a row vectorised after the fit may hold words the vocabulary lacks
    index = fit_duty_index(catalogue.duties)
    text = "Sanction the expenditures of the night shift"
    assert stem("sanction") not in index.vectorizer.vocabulary_
    duties = catalogue.duties.copy()
    role = "site-foreman"
    duties.loc[duties.index[duties["role_id"] == role][0], "text"] = text
    edited = dataclasses.replace(catalogue, tables={**catalogue.tables, "duties": duties})
    expected = missing_decision_rights(edited)  # every duty normalised
    assert ((expected["role_id"] == role) & (expected["text"] == text)).any()
    derived = replace_roles(index, duties, [role])
    # the same rows in the duties' order, so that the rule reads the index
    order = np.concatenate([derived.rows_of([r]) for r in duties["role_id"].drop_duplicates()])
    aligned = DutyIndex(derived.vectorizer, derived.keys.iloc[order].reset_index(drop=True),
                        derived.matrix[order], derived.replaced[order])
    pd.testing.assert_frame_equal(FindingContext(edited, aligned).missing_decision_rights,
                                  expected)
    unmarked = DutyIndex(aligned.vectorizer, aligned.keys, aligned.matrix)
    assert not (FindingContext(edited, unmarked).missing_decision_rights["text"] == text).any()


def test_the_apps_lineage_derives_only_from_the_same_path_and_only_what_changed(
        catalogue, tmp_path):
    from pages.common import Lineage

    lineage = Lineage()
    calls = []

    def compute(c):
        calls.append(("compute", c.fingerprint))
        return fit_duty_index(c.duties)

    def update_for(c):
        def update(index, changed):
            calls.append(("update", c.fingerprint, frozenset(changed)))
            return replace_roles(index, c.duties, changed)
        return update

    def version(fingerprint, duties=None, path=None):
        return dataclasses.replace(catalogue, fingerprint=fingerprint,
                                   path=path or catalogue.path,
                                   tables={**catalogue.tables,
                                           "duties": catalogue.duties if duties is None
                                           else duties})

    first = version("lineage-1")
    base = lineage.derive("index", first, compute, update_for(first))
    duties = catalogue.duties.copy()
    duties.loc[duties["role_id"] == "estimator", "text"] += " and report on it"
    second = version("lineage-2", duties)
    derived = lineage.derive("index", second, compute, update_for(second))
    assert calls[-1] == ("update", "lineage-2", frozenset({"estimator"}))
    assert derived.vectorizer is base.vectorizer and derived.replaced.sum() == (
        duties["role_id"] == "estimator").sum()
    # a title or a scale changed, not a duty: the same index
    third = version("lineage-3", duties)
    assert lineage.derive("index", third, compute, update_for(third)) is derived
    # another catalogue (another path, e.g. another session's upload) starts afresh
    other = version("lineage-4", duties, path=tmp_path / "upload")
    lineage.derive("index", other, compute, update_for(other))
    assert calls[-1] == ("compute", "lineage-4")
    # too many roles changed: fitted again
    everything = catalogue.duties.assign(text=catalogue.duties["text"] + " twice")
    fifth = version("lineage-5", everything)
    refit = lineage.derive("index", fifth, compute, update_for(fifth))
    assert calls[-1] == ("compute", "lineage-5") and refit.replaced is None


def test_findings_are_read_back_without_matching_and_updated_ones_are_not_stored(
        catalogue_copy, tmp_path, monkeypatch):
    import pages.common as common
    from jdcore import load_catalogue

    cache = tmp_path / "cache"
    monkeypatch.setattr(common, "cache_dir", lambda: cache)
    loaded = load_catalogue(catalogue_copy, cache_dir=cache)
    index = fit_duty_index(loaded.duties)
    fitted = neighbour_search(index, k=OVERLAP_NEIGHBOURS, threshold=OVERLAP_THRESHOLD)
    monkeypatch.setattr(common, "current_overlap_neighbours", lambda c: fitted)
    stored = common._findings(loaded)
    assert len(stored) > 0

    def no_search(c):
        raise AssertionError("the findings on disk must be read without a search")

    monkeypatch.setattr(common, "current_overlap_neighbours", no_search)  # a restart
    pd.testing.assert_frame_equal(common._findings(loaded), stored)
    # from a search updated after an edit: shown, never stored in the catalogue's entry
    files = list(cache.rglob("*findings*.parquet"))
    assert len(files) == 1  # what the fitted search stored above
    files[0].unlink()
    updated = neighbours_after_edit(fitted, loaded.duties, ["estimator"])
    monkeypatch.setattr(common, "current_overlap_neighbours", lambda c: updated)
    assert len(common._findings(loaded)) > 0
    assert not list(cache.rglob("*findings*.parquet"))
