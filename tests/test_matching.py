"""jdcore.analysis.matching: normalisation, the threshold table, best matches, role similarity, top-k."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jdcore.analysis import matching
from jdcore.analysis.matching import (SHARED_THRESHOLD, SIMILAR_THRESHOLD, best_matches,
                                      duty_similarity, fit_duty_index, nearest_duties,
                                      duty_vectors, neighbour_recall, normalise, replace_roles,
                                      role_similarity, status_of, stem, text_similarity,
                                      update_neighbours)
from jdcore.synth import write_synthetic_catalogue


@pytest.fixture(scope="module")
def index(catalogue):
    return fit_duty_index(catalogue.duties)


@pytest.mark.parametrize("words", [
    ("negotiate", "negotiations", "negotiation"),
    ("supplier", "suppliers", "supply", "supplies"),   # a domain form: supply -> supplier
    ("deliveries", "delivery", "delivered"),           # delivered -> delivery
    ("payment", "payments", "pay"),                     # payment -> pay
    ("staff", "staffing"), ("contracts", "contract"), ("material", "materials"),
    ("document", "documents"), ("month", "monthly"),
])
def test_stem_gives_one_form_to_the_forms_of_a_word(words):
    assert len({stem(w) for w in words}) == 1


@pytest.mark.parametrize("first, second", [
    ("contract", "contractual"), ("plan", "planet"), ("cost", "costume"), ("work", "workers"),
    ("deal", "dealers"),
])
def test_stem_keeps_different_words_apart(first, second):
    assert stem(first) != stem(second)


def test_stem_is_snowball_english_with_the_domain_forms():
    assert [stem(w) for w in ("negotiations", "plan", "cost", "supplies", "delivered")] == [
        "negoti", "plan", "cost", "supplier", "deliveri"]


# The table the thresholds were chosen from (see the jdcore.analysis.matching docstring). Each side is
# (role id, duty text) for a duty of data/roles, or (None, text) for a text of the brief.
SHARED, SIMILAR, UNIQUE = "shared", "similar", "unique"
PAIRS = [
    # the same duty, worded almost alike
    (("estimator", "Compare actual costs of each site against the estimate and report deviations"),
     ("construction-accountant", "Compare the actual costs of each site with its estimate and "
      "report the deviations to the construction director"), SHARED),
    ((None, "Negotiate with potential dealers or buyers"),
     (None, "Negotiates with potential dealers and buyers."), SHARED),
    # the same kind of work on the same object
    (("head-of-sales", "Negotiate with potential dealers or buyers"),
     (None, "Conduct negotiations with buyers"), SIMILAR),
    (("marketing-specialist", "Organise market research on demand, customers and competitors "
      "and prepare analytical reports"),
     ("head-of-sales", "Organise and assign marketing research"), SIMILAR),
    (("procurement-manager", "Negotiate supplier delivery contracts, including prices, delivery "
      "terms, lead times and penalties"),
     ("head-of-logistics", "Negotiate delivery contracts with suppliers and carriers, including "
      "delivery terms, lead times and liability for damage"), SIMILAR),
    (("construction-procurement-manager", "Report purchases, prices and supplier performance to "
      "the construction director"),
     ("procurement-manager", "Report on purchase plan fulfilment, purchase prices and supplier "
      "performance to the general director"), SIMILAR),
    (("head-of-production-technical", "Organise the preparation and storage of as-built "
      "drawings, hidden works certificates and other executive documentation"),
     ("pto-engineer", "Compile hidden works certificates, as-built drawings and other executive "
      "documentation together with the site foremen"), SIMILAR),
    (("procurement-manager", "File claims with suppliers for short deliveries, defects and "
      "delays"),
     ("construction-procurement-manager", "Handle claims against suppliers for short deliveries "
      "and defective materials"), SIMILAR),
    (("warehouse-manager", "Organise stocktakes and reconcile their results with the accounting "
      "department"),
     ("chief-accountant", "Organise stocktakes of goods and cash and record their results in the "
      "accounts"), SIMILAR),
    (("head-of-marketing", "Oversee the brand, the company website and social media content"),
     ("marketing-specialist", "Update the company website and social media accounts"), SIMILAR),
    (("head-of-marketing", "Commission market, customer and competitor studies and present their "
      "findings to management"),
     ("marketing-specialist", "Organise market research on demand, customers and competitors "
      "and prepare analytical reports"), SIMILAR),
    (("head-of-sales", "Negotiate with potential dealers or buyers"),
     ("middle-sales-manager", "Negotiate terms of supply, payment and delivery with key wholesale "
      "customers and dealers assigned to the group"), SIMILAR),
    (("chief-accountant", "Calculate payroll, taxes and social contributions from the time "
      "sheets provided by the HR manager"),
     ("construction-accountant", "Calculate the payroll of site workers from the time sheets "
      "submitted by the foremen"), SIMILAR),
    (("marketing-specialist", "Monitor competitors' prices, assortment and promotions and keep "
      "the competitor database up to date"),
     ("sales-representative", "Collect information on competitors' prices, promotions and "
      "assortment on the territory"), SIMILAR),
    (("hr-manager", "Keep time sheets and pass them to the chief accountant for payroll"),
     ("site-foreman", "Keep the workers' time sheets and record the work done in the site work "
      "log"), SIMILAR),
    (("warehouse-manager", "Ensure compliance with occupational safety, fire safety and storage "
      "conditions"),
     ("head-of-logistics", "Ensure compliance with transport, customs and occupational safety "
      "rules in warehouses and transport"), SIMILAR),
    # clearly different duties, even where they share a verb or an object
    (("head-of-sales", "Negotiate with potential dealers or buyers"),
     ("hr-manager", "Keep time sheets and pass them to the chief accountant for payroll"), UNIQUE),
    (("head-of-sales", "Negotiate with potential dealers or buyers"),
     ("procurement-manager", "Negotiate supplier delivery contracts, including prices, delivery "
      "terms, lead times and penalties"), UNIQUE),
    (("head-of-sales", "Organise and assign marketing research"),
     ("hr-manager", "Organise staff training and annual performance appraisals"), UNIQUE),
    (("estimator", "Compare actual costs of each site against the estimate and report deviations"),
     ("safety-engineer", "Investigate accidents and near misses, establish their causes and "
      "propose corrective measures"), UNIQUE),
    (("site-foreman", "Report the day's progress and problems to the site manager"),
     ("head-of-sales", "Report on the fulfilment of the sales plan to the general director"),
     UNIQUE),
    (("head-of-marketing", "Prepare the marketing budget, allocate it between channels and "
      "campaigns and control its execution"),
     ("hr-manager", "Prepare employment contracts, personnel orders and personnel files"), UNIQUE),
    (("pto-engineer", "Check incoming working drawings for inconsistencies between sections and "
      "prepare lists of queries to the designer"),
     ("sales-floor-controller", "Check purchases against receipts at the exit when the "
      "anti-theft alarm is triggered"), UNIQUE),
    (("board-of-directors", "Approve the annual budget and capital expenditure above the general "
      "director's authority"),
     ("site-foreman", "Approve overtime and pay bonuses to the workers of the team for urgent "
      "work"), UNIQUE),
    (("procurement-manager", "Place purchase orders and track them through to delivery"),
     ("logistics-dispatcher", "Plan daily delivery routes and assign vehicles and drivers to "
      "customer orders"), UNIQUE),
    (("head-of-sales", "Supervise the advertising policy and the state of public relations"),
     ("head-of-sales", "Work with independent research centres"), UNIQUE),
    (("marketing-specialist", "Run online and offline advertising campaigns and track their "
      "results"),
     ("safety-engineer", "Give induction safety briefings to new employees and to the staff of "
      "subcontractors"), UNIQUE),
]


@pytest.mark.parametrize("first, second, expected", PAIRS,
                         ids=[f"{e}-{i}" for i, (_, _, e) in enumerate(PAIRS)])
def test_pair_gets_the_expected_status(index, first, second, expected):
    similarity = text_similarity(index, first[1], second[1])
    assert status_of(similarity) == expected, f"similarity {similarity:.3f}"


def test_table_pairs_quote_real_duties_of_the_catalogue(catalogue):
    duties = set(zip(catalogue.duties["role_id"], catalogue.duties["text"]))
    quoted = {side for first, second, _ in PAIRS for side in (first, second) if side[0]}
    assert quoted - duties == set()


@pytest.mark.parametrize("similarity, expected", [
    (1.0, "shared"), (SHARED_THRESHOLD, "shared"), (SHARED_THRESHOLD - 1e-6, "similar"),
    (SIMILAR_THRESHOLD, "similar"), (SIMILAR_THRESHOLD - 1e-6, "unique"), (0.0, "unique"),
])
def test_status_of_thresholds_are_inclusive(similarity, expected):
    assert status_of(similarity) == expected


def test_status_of_an_array_gives_an_array():
    assert list(status_of([0.9, 0.5, 0.1])) == ["shared", "similar", "unique"]


def test_identical_texts_have_similarity_one_and_unrelated_texts_zero(index):
    text = "Organise and assign marketing research"
    assert text_similarity(index, text, text) == pytest.approx(1.0, abs=1e-6)
    assert text_similarity(index, text, "Weld steel beams") == 0.0


def test_idf_is_catalogue_wide(catalogue, index):
    """A word found in many duties of the catalogue weighs less than a rare one."""
    vocabulary = index.vectorizer.vocabulary_
    idf = index.vectorizer.idf_
    assert idf[vocabulary["report"]] < idf[vocabulary["stocktak"]]
    assert index.matrix.shape[0] == len(catalogue.duties)


def toy_duties(rows):
    return pd.DataFrame(
        [{"role_id": r, "duty_no": n, "text": t, "category": "operations", "time_share": s}
         for r, n, t, s in rows])


TOY = toy_duties([
    ("a", 1, "Negotiate supply contracts with suppliers", 80.0),
    ("a", 2, "Weld steel beams on site", 20.0),
    ("b", 1, "Negotiate supply contracts with suppliers", 50.0),
    ("b", 2, "Paint the office walls", 50.0),
    ("c", 1, "Negotiate supply contracts with suppliers and carriers", 100.0),
])


def test_duty_similarity_pairs_duties_of_different_roles_only_in_both_orders():
    index = fit_duty_index(TOY)
    pairs = duty_similarity(index, ["a", "b"])
    assert len(pairs) == 2 * 2 * 2
    assert (pairs["role_id"] != pairs["other_role_id"]).all()
    forward = pairs.set_index(["role_id", "duty_no", "other_role_id", "other_duty_no"])
    for (r, n, o, m), s in forward["similarity"].items():
        assert forward.loc[(o, m, r, n), "similarity"] == pytest.approx(s)
    assert forward.loc[("a", 1, "b", 1), "similarity"] == pytest.approx(1.0, abs=1e-6)
    assert forward.loc[("a", 2, "b", 2), "similarity"] == 0.0


def test_best_matches_takes_the_closest_duty_of_any_other_role():
    index = fit_duty_index(TOY)
    ids = ["a", "b", "c"]
    table = best_matches(duty_similarity(index, ids), TOY, ids)
    assert list(zip(table["role_id"], table["duty_no"])) == [
        ("a", 1), ("a", 2), ("b", 1), ("b", 2), ("c", 1)]
    rows = table.set_index(["role_id", "duty_no"])
    # a:1 equals b:1 word for word (b is listed before c, which also matches well)
    assert (rows.loc[("a", 1), "match_role_id"], rows.loc[("a", 1), "match_duty_no"]) == ("b", 1)
    assert rows.loc[("a", 1), "status"] == "shared"
    # c:1 is the same duty plus "and carriers": similar to a:1 and b:1; the tie goes to a
    assert rows.loc[("c", 1), "match_role_id"] == "a"
    assert rows.loc[("c", 1), "status"] == status_of(rows.loc[("c", 1), "similarity"])
    # no word in common with any other role: no match at all
    for key in [("a", 2), ("b", 2)]:
        assert rows.loc[key, "similarity"] == 0.0 and rows.loc[key, "status"] == "unique"
        assert rows.loc[key, "match_role_id"] is None and pd.isna(rows.loc[key, "match_text"])


def test_role_similarity_is_the_mean_of_both_time_share_weighted_coverages():
    index = fit_duty_index(TOY)
    pairs = role_similarity(duty_similarity(index, ["a", "b"]), TOY, ["a", "b"])
    row = pairs.iloc[0]
    # a: 80 % of its time in a duty b has word for word, 20 % in one b lacks entirely
    assert row["coverage"] == pytest.approx(0.8, abs=1e-6)
    # b: half its time matched exactly by a, half not at all
    assert row["other_coverage"] == pytest.approx(0.5, abs=1e-6)
    assert row["similarity"] == pytest.approx(0.65, abs=1e-6)
    assert (row["shared_pairs"], row["similar_pairs"]) == (1, 0)


def test_role_similarity_is_one_for_identical_duty_lists_and_zero_for_disjoint_ones():
    duties = toy_duties([("a", 1, "Plan sales", 60.0), ("a", 2, "Hire staff", 40.0),
                         ("b", 1, "Hire staff", 10.0), ("b", 2, "Plan sales", 90.0),
                         ("c", 1, "Weld beams", 100.0)])
    index = fit_duty_index(duties)
    ids = ["a", "b", "c"]
    pairs = role_similarity(duty_similarity(index, ids), duties, ids).set_index(
        ["role_id", "other_role_id"])["similarity"]
    assert pairs[("a", "b")] == pytest.approx(1.0, abs=1e-6)
    assert pairs[("a", "c")] == 0.0 and pairs[("b", "c")] == 0.0
    assert list(pairs.index) == [("a", "b"), ("a", "c"), ("b", "c")]


def test_role_similarity_uses_equal_weights_when_time_shares_are_zero():
    duties = toy_duties([("a", 1, "Plan sales", 0.0), ("a", 2, "Hire staff", 0.0),
                         ("b", 1, "Plan sales", 0.0)])
    index = fit_duty_index(duties)
    row = role_similarity(duty_similarity(index, ["a", "b"]), duties, ["a", "b"]).iloc[0]
    assert row["coverage"] == pytest.approx(0.5, abs=1e-6)


def brute_force_neighbours(index, k, threshold, other_roles_only=True):
    """Dense all-pairs similarity, filtered and ranked the same way (for small catalogues)."""
    dense = (index.matrix @ index.matrix.T).toarray()
    roles = index.keys["role_id"].to_numpy()
    rows = []
    for i in range(len(dense)):
        candidates = [(j, dense[i, j]) for j in range(len(dense)) if j != i
                      and dense[i, j] >= threshold
                      and not (other_roles_only and roles[i] == roles[j])]
        candidates.sort(key=lambda c: (-c[1], c[0]))
        rows += [(i, j, rank) for rank, (j, _) in enumerate(candidates[:k], 1)]
    return rows


@pytest.mark.parametrize("k, threshold, chunk_size, max_products, other_roles_only", [
    (5, SIMILAR_THRESHOLD, 1000, 10_000_000, True),
    (3, 0.1, 7, 10_000_000, True),      # chunks that split roles must not change the answer
    (3, 0.1, 1000, 500, True),          # nor do chunks cut short by the product budget
    (2, 0.3, 50, 10_000_000, False),
])
def test_nearest_duties_equals_the_brute_force_answer(index, k, threshold, chunk_size,
                                                      max_products, other_roles_only):
    found = nearest_duties(index, k=k, threshold=threshold, chunk_size=chunk_size,
                           max_products=max_products, other_roles_only=other_roles_only)
    position = {key: i for i, key in enumerate(zip(index.keys["role_id"], index.keys["duty_no"]))}
    got = [(position[(r, n)], position[(o, m)], rank) for r, n, o, m, rank in zip(
        found["role_id"], found["duty_no"], found["other_role_id"], found["other_duty_no"],
        found["rank"])]
    assert got == brute_force_neighbours(index, k, threshold, other_roles_only)
    assert (found["similarity"] >= threshold).all()
    assert not ((found["role_id"] == found["other_role_id"])
                & (found["duty_no"] == found["other_duty_no"])).any()


def test_nearest_duties_finds_the_shared_duty_of_another_role(index):
    found = nearest_duties(index, k=1, threshold=SHARED_THRESHOLD)
    pairs = set(zip(found["role_id"], found["duty_no"], found["other_role_id"],
                    found["other_duty_no"]))
    assert ("estimator", 6, "construction-accountant", 6) in pairs
    assert ("construction-accountant", 6, "estimator", 6) in pairs


def test_nearest_duties_of_an_empty_catalogue_is_an_empty_table():
    index = fit_duty_index(toy_duties([]).reindex(columns=["role_id", "duty_no", "text"]))
    found = nearest_duties(index)
    assert found.empty
    assert list(found.columns) == ["role_id", "duty_no", "other_role_id", "other_duty_no",
                                   "similarity", "rank"]
    assert np.issubdtype(found["rank"].dtype, np.integer)


def _as_rows(index, found):
    position = {key: i for i, key in enumerate(zip(index.keys["role_id"], index.keys["duty_no"]))}
    return [(position[(r, n)], position[(o, m)], rank) for r, n, o, m, rank in zip(
        found["role_id"], found["duty_no"], found["other_role_id"], found["other_duty_no"],
        found["rank"])]


@pytest.mark.parametrize("k, threshold, other_roles_only", [
    (5, SIMILAR_THRESHOLD, True), (3, 0.1, True), (2, 0.3, False)])
def test_clustered_search_probing_every_cluster_is_the_exact_answer(index, monkeypatch, k,
                                                                    threshold, other_roles_only):
    # Small clusters, all of them probed: the clustering and the per-cluster products must
    # then lose nothing and rank exactly as the brute force does.
    monkeypatch.setattr(matching, "CLUSTER_SIZE", 16)
    monkeypatch.setattr(matching, "CLUSTER_PROBES", 10_000)
    found = nearest_duties(index, k=k, threshold=threshold, other_roles_only=other_roles_only,
                           method="clustered")
    assert _as_rows(index, found) == brute_force_neighbours(index, k, threshold,
                                                            other_roles_only)


def test_clustered_search_gives_true_similarities_and_keeps_its_promises(index, monkeypatch):
    monkeypatch.setattr(matching, "CLUSTER_SIZE", 16)  # many clusters, so most are not probed
    found = nearest_duties(index, k=4, threshold=0.2, method="clustered")
    exact = (index.matrix @ index.matrix.T).toarray()
    rows = _as_rows(index, found)
    assert len(found) > 0
    assert np.allclose(found["similarity"], [exact[i, j] for i, j, _ in rows], atol=1e-5)
    assert (found["similarity"] >= 0.2).all()
    assert not (found["role_id"] == found["other_role_id"]).any()
    assert found.groupby(["role_id", "duty_no"])["rank"].apply(
        lambda r: list(r) == list(range(1, len(r) + 1))).all()
    assert found.groupby(["role_id", "duty_no"])["similarity"].apply(
        lambda s: s.is_monotonic_decreasing).all()
    # the same catalogue always gives the same neighbours (stable finding ids)
    again = nearest_duties(index, k=4, threshold=0.2, method="clustered")
    pd.testing.assert_frame_equal(found, again)


@pytest.fixture(scope="module")
def synthetic_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("matching") / "catalogue"
    write_synthetic_catalogue(folder, 300, seed=11)
    from jdcore import load_catalogue

    return fit_duty_index(load_catalogue(folder).duties)


def test_clustered_search_finds_most_exact_neighbours_of_a_synthetic_catalogue(synthetic_index):
    # 7,500 duties in 29 clusters, 8 probed: 0.86 of the exact top 5 (512-duty clusters, 4
    # probed: 0.81, 0.84 with a pair counting for both duties). At 10,000 roles, bench/run.py
    # measures about 0.98.
    found = nearest_duties(synthetic_index, k=5, method="clustered")
    quality = neighbour_recall(synthetic_index, found, k=5, sample=400)
    assert quality["recall"] >= 0.8
    assert quality["top1"] >= 0.85
    assert quality["shortfall"] < 0.02


def test_clustered_search_counts_a_pair_for_both_of_its_duties(synthetic_index, monkeypatch):
    # Similarity is symmetric: a pair one duty found is a candidate of the other, which may
    # not have probed its cluster. So where duty i lists j at similarity s and j does not list
    # i, j's list is full and its k-th neighbour is at least as similar as s.
    monkeypatch.setattr(matching, "CLUSTER_SIZE", 64)  # many misses to check
    k = 5
    found = nearest_duties(synthetic_index, k=k, method="clustered")
    pairs = set(zip(found["role_id"], found["duty_no"], found["other_role_id"],
                    found["other_duty_no"]))
    listed = found.groupby(["role_id", "duty_no"])["similarity"].agg(["size", "min"])
    one_way = [(o, m, s) for r, n, o, m, s in zip(
        found["role_id"], found["duty_no"], found["other_role_id"], found["other_duty_no"],
        found["similarity"]) if (o, m, r, n) not in pairs]
    assert len(one_way) > 100  # the check below has something to check
    for other, number, similarity in one_way:
        size, kth = listed.loc[(other, number)]
        assert size == k and kth >= similarity - 1e-6


def test_neighbour_recall_is_one_for_the_exact_answer_and_zero_for_nothing(synthetic_index):
    exact = nearest_duties(synthetic_index, k=3, method="exact")
    assert neighbour_recall(synthetic_index, exact, k=3, sample=200) == {
        "recall": 1.0, "top1": 1.0, "shortfall": pytest.approx(0.0, abs=1e-6)}
    nothing = neighbour_recall(synthetic_index, exact.iloc[:0], k=3, sample=200)
    assert nothing["recall"] == 0.0 and nothing["top1"] == 0.0 and nothing["shortfall"] > 0.3


def test_auto_search_is_exact_below_the_work_bound_and_clustered_above(index, monkeypatch):
    exact = nearest_duties(index, k=3, method="exact")
    pd.testing.assert_frame_equal(nearest_duties(index, k=3), exact)
    monkeypatch.setattr(matching, "EXACT_MAX_PRODUCTS", 0)
    monkeypatch.setattr(matching, "CLUSTER_SIZE", 16)
    clustered = nearest_duties(index, k=3, method="clustered")
    assert not clustered.equals(exact)  # so the next line can tell which one ran
    pd.testing.assert_frame_equal(nearest_duties(index, k=3), clustered)
    with pytest.raises(ValueError, match="unknown method"):
        nearest_duties(index, method="fast")


def _edited(duties, role_id, texts):
    """The duties with those of `role_id` replaced by `texts` (duty numbers 1, 2, ...)."""
    kept = duties[duties["role_id"] != role_id]
    new = pd.DataFrame({"role_id": role_id, "duty_no": range(1, len(texts) + 1), "text": texts})
    return pd.concat([kept, new], ignore_index=True)


@pytest.mark.parametrize("k, threshold, other_roles_only", [
    (5, SIMILAR_THRESHOLD, True), (3, 0.1, True), (2, 0.3, False), (4, 0.6, True)])
@pytest.mark.parametrize("edit", ["reworded", "fewer", "more", "removed", "copied"])
def test_update_neighbours_equals_a_full_search(catalogue, k, threshold, other_roles_only, edit):
    duties = catalogue.duties[["role_id", "duty_no", "text"]].reset_index(drop=True)
    before = fit_duty_index(duties)
    previous = nearest_duties(before, k=k, threshold=threshold,
                              other_roles_only=other_roles_only, method="exact")
    own = duties.loc[duties["role_id"] == "procurement-manager", "text"].tolist()
    other = duties.loc[duties["role_id"] == "head-of-logistics", "text"].tolist()
    texts = {"reworded": [t + " and report on it" for t in own], "fewer": own[:3],
             "more": own + other[:4], "removed": [],
             "copied": other}[edit]  # "copied": every duty tied with another role's
    after_duties = _edited(duties, "procurement-manager", texts)
    after = replace_roles(before, after_duties, ["procurement-manager"])
    roles = after.keys["role_id"].to_numpy()
    assert (roles == "procurement-manager").sum() == len(texts)
    assert (roles[len(roles) - len(texts):] == "procurement-manager").all()
    updated = update_neighbours(previous, after, ["procurement-manager"], k=k,
                                threshold=threshold, other_roles_only=other_roles_only)
    full = nearest_duties(after, k=k, threshold=threshold, other_roles_only=other_roles_only,
                          method="exact")
    pd.testing.assert_frame_equal(updated, full)


def test_update_neighbours_of_an_unchanged_catalogue_changes_nothing(index):
    previous = nearest_duties(index, k=4, method="exact")
    pd.testing.assert_frame_equal(update_neighbours(previous, index, [], k=4), previous)


def test_replace_roles_keeps_the_vocabulary_and_every_other_row(index, catalogue):
    duties = _edited(catalogue.duties, "estimator", ["Weld steel beams", "Estimate costs"])
    after = replace_roles(index, duties, ["estimator"])
    assert after.vectorizer is index.vectorizer
    stays = (index.keys["role_id"] != "estimator").to_numpy()
    assert (after.matrix[:stays.sum()] != index.matrix[np.flatnonzero(stays)]).nnz == 0
    assert after.matrix.shape == (stays.sum() + 2, index.matrix.shape[1])
    assert text_similarity(after, "Estimate costs", "Estimate costs") == pytest.approx(1.0)


def test_fitting_vectorises_each_distinct_text_once_with_the_idf_of_every_duty():
    # fit_duty_index counts the words of each distinct text once; the vectors, vocabulary and
    # IDF must be those of fitting a plain vectoriser on every duty's text, repeats included.
    from sklearn.feature_extraction.text import TfidfVectorizer

    duties = pd.DataFrame({
        "role_id": ["a", "a", "b", "b", "c", "c", "d"],
        "duty_no": [1, 2, 1, 2, 1, 2, 1],
        "text": ["Negotiate contracts with suppliers", "Prepare the monthly budget",
                 "Negotiate contracts with suppliers", "Prepare the monthly budget",
                 "Negotiate contracts with suppliers", None, "Audit supplier payments"]})
    index = fit_duty_index(duties)
    plain = TfidfVectorizer(preprocessor=normalise, token_pattern=r"\S+", sublinear_tf=True,
                            dtype=np.float32)
    expected = plain.fit_transform(duties["text"].fillna("").astype(str).tolist())
    assert index.vectorizer.vocabulary_ == plain.vocabulary_
    assert np.array_equal(index.vectorizer.idf_, plain.idf_)
    assert index.matrix.dtype == np.float32
    assert (index.matrix != expected).nnz == 0
    # a repeated text weighs in the IDF as often as it occurs: "negoti" (3 of 7 duties) is
    # weighted less than "audit" (1 of 7)
    vocabulary = index.vectorizer.vocabulary_
    assert index.vectorizer.idf_[vocabulary["negoti"]] < index.vectorizer.idf_[vocabulary["audit"]]
    new = ["Negotiate payments with new suppliers", "nothing known here"]
    assert (duty_vectors(index.vectorizer, new) != plain.transform(new)).nnz == 0
