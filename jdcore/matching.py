"""Duty matching by the meaning of the text: TF-IDF cosine similarity of normalised duties.

Normalisation (`normalise`): lowercase; keep letters and digits only; drop English stop words
(scikit-learn's list); map a few domain synonyms to one word (`SYNONYMS`: buyer and client ->
customer, vendor -> supplier, ...); reduce each word with a light suffix-stripping stemmer
(`stem`: negotiate / negotiation / negotiations -> "negoti", supplies / supplier -> "suppl").
So "Negotiate with potential dealers or buyers" and "Conduct negotiations with buyers" share
the words "negoti" and "customer" although they share no wording but "with".

Vectors: word unigrams of the normalised text, sub-linear TF, IDF fitted once on every duty
of the catalogue (`fit_duty_index`), rows L2-normalised, so the dot product of two rows is
their cosine similarity in [0, 1]. Word features (not character n-grams) keep the vectors
sparse, so `nearest_duties` can work through 250,000 duties in bounded memory.

Statuses of a pair of duties (`status_of`), by their similarity s:
- "shared":  s >= SHARED_THRESHOLD (0.80): the same duty, worded almost alike;
- "similar": s >= SIMILAR_THRESHOLD (0.25): the same kind of work on the same object;
- "unique":  below that: no duty of the other role is close.
The thresholds were chosen from the table of pairs in tests/test_matching.py (pairs that must
be shared, must be similar and must not match, most of them real duties of data/roles). With
this normalisation on the embedded catalogue, the must-not-match pairs score at most 0.19 and
the must-be-similar pairs at least 0.30; the similar pairs score at most 0.74 and the
must-be-shared pairs at least 0.92. Each threshold sits in the gap between the two groups it
separates; re-run that table after changing the normalisation or the thresholds.

Role-by-role similarity (`role_similarity`): for roles A and B, every duty of A takes the
similarity of its best match among B's duties; A's coverage by B is the mean of those values
weighted by the duties' time shares (equal weights when A's time shares sum to 0). The
similarity of A and B is the mean of the two directions, (cover(A by B) + cover(B by A)) / 2,
so it is symmetric, 1 for two identical duty lists and 0 when no word is shared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

SHARED_THRESHOLD = 0.8
SIMILAR_THRESHOLD = 0.25
STATUSES = ("shared", "similar", "unique")

# Words of the domain that name the same thing; each maps to the word used in its place.
SYNONYMS = {
    "buyer": "customer", "buyers": "customer", "client": "customer", "clients": "customer",
    "customers": "customer", "purchaser": "customer", "purchasers": "customer",
    "vendor": "supplier", "vendors": "supplier",
    "procurement": "purchase", "procure": "purchase", "buy": "purchase",
    "agreement": "contract", "agreements": "contract",
    "organize": "organise", "analyze": "analyse", "optimize": "optimise",
    "personnel": "staff", "employees": "staff", "employee": "staff",
    "study": "research", "studies": "research", "survey": "research", "surveys": "research",
}
# Longest first: the first suffix that leaves a stem of MIN_STEM letters or more is removed.
SUFFIXES = tuple(sorted((
    "ational", "ations", "ation", "ators", "ator", "ities", "ity", "ments", "ment", "ings",
    "ing", "ates", "ated", "ate", "iers", "ier", "ies", "ied", "ers", "er", "ed", "es", "ive",
    "al", "s", "y", "e",
), key=len, reverse=True))
MIN_STEM = 3
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Strip the longest known suffix that leaves at least MIN_STEM letters."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def normalise(text: str) -> str:
    """Lowercase words without punctuation or stop words, synonyms mapped, stemmed."""
    words = _WORD.findall(str(text).lower().replace("'s", ""))
    return " ".join(_word_form(w) for w in words if w not in ENGLISH_STOP_WORDS and len(w) > 1)


@lru_cache(maxsize=200_000)
def _word_form(word: str) -> str:
    return stem(SYNONYMS.get(word, word))


@dataclass(frozen=True, eq=False)
class DutyIndex:
    """The fitted vectoriser and the vectors of every duty of a catalogue.

    Row i of `matrix` is the duty in row i of `keys` (role_id, duty_no).
    """

    vectorizer: TfidfVectorizer
    keys: pd.DataFrame
    matrix: sparse.csr_matrix

    def rows_of(self, role_ids) -> np.ndarray:
        """Matrix rows of the duties of the given roles, in the order of `role_ids`."""
        order = {rid: i for i, rid in enumerate(role_ids)}
        rank = self.keys["role_id"].map(order)
        chosen = rank.notna().to_numpy()
        positions = np.flatnonzero(chosen)
        return positions[np.lexsort((self.keys["duty_no"].to_numpy()[chosen],
                                     rank.to_numpy()[chosen]))]


def make_vectorizer(**options) -> TfidfVectorizer:
    return TfidfVectorizer(preprocessor=normalise, token_pattern=r"\S+", sublinear_tf=True,
                           dtype=np.float32, **options)


def fit_duty_index(duties: pd.DataFrame) -> DutyIndex:
    """Fit the vectoriser on the text of every duty (catalogue-wide IDF) and vectorise them."""
    keys = duties[["role_id", "duty_no"]].reset_index(drop=True)
    vectorizer = make_vectorizer()
    texts = duties["text"].fillna("").astype(str).tolist()
    try:
        matrix = sparse.csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:  # no words at all (e.g. no duties): a vocabulary no text can reach
        vectorizer = make_vectorizer(vocabulary={"\u2205": 0}).fit(texts or [""])
        matrix = duty_vectors(vectorizer, texts)
    return DutyIndex(vectorizer, keys, matrix)


def duty_vectors(vectorizer: TfidfVectorizer, texts) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows of texts, with the IDF the index was fitted with."""
    texts = pd.Series(texts, dtype=object).fillna("").astype(str)
    if texts.empty:
        return sparse.csr_matrix((0, len(vectorizer.vocabulary_)), dtype=np.float32)
    return sparse.csr_matrix(vectorizer.transform(texts))


def text_similarity(index: DutyIndex, first: str, second: str) -> float:
    """Cosine similarity of two texts under the index's vocabulary and IDF."""
    vectors = duty_vectors(index.vectorizer, [first, second])
    return float(vectors[0].multiply(vectors[1]).sum())


def status_of(similarity) -> np.ndarray | str:
    """'shared', 'similar' or 'unique' for one similarity or an array of them."""
    values = np.asarray(similarity, dtype=float)
    status = np.select([values >= SHARED_THRESHOLD, values >= SIMILAR_THRESHOLD],
                       ["shared", "similar"], "unique")
    return str(status) if status.ndim == 0 else status


def duty_similarity(index: DutyIndex, role_ids) -> pd.DataFrame:
    """Similarity of every pair of duties of two different roles among `role_ids`.

    Columns: role_id, duty_no, other_role_id, other_duty_no, similarity (both orders of
    each pair are listed; duties of the same role are not paired).
    """
    rows = index.rows_of(list(role_ids))
    keys = index.keys.iloc[rows].reset_index(drop=True)
    vectors = index.matrix[rows]
    similarity = (vectors @ vectors.T).toarray()
    left, right = np.meshgrid(np.arange(len(rows)), np.arange(len(rows)), indexing="ij")
    roles = keys["role_id"].to_numpy()
    other = roles[left] != roles[right]
    left, right = left[other], right[other]
    return pd.DataFrame({
        "role_id": roles[left], "duty_no": keys["duty_no"].to_numpy()[left],
        "other_role_id": roles[right], "other_duty_no": keys["duty_no"].to_numpy()[right],
        "similarity": np.clip(similarity[left, right], 0.0, 1.0).astype(float),
    })


def _duties_of(duties: pd.DataFrame, role_ids) -> pd.DataFrame:
    order = {rid: i for i, rid in enumerate(role_ids)}
    chosen = duties[duties["role_id"].isin(order)]
    return (chosen.assign(_order=chosen["role_id"].map(order))
            .sort_values(["_order", "duty_no"]).drop(columns="_order")
            .reset_index(drop=True))


def best_matches(pairs: pd.DataFrame, duties: pd.DataFrame, role_ids) -> pd.DataFrame:
    """Each duty of each role with its best match among the OTHER roles' duties.

    `pairs` is `duty_similarity` of the same roles. Columns: role_id, duty_no, text, category,
    time_share, match_role_id, match_duty_no, match_text, similarity, status. A duty that shares
    no word with any other role's duty has no match, similarity 0 and status "unique". Ties go
    to the role listed first in `role_ids`, then the lower duty number.
    """
    role_ids = list(role_ids)
    own = _duties_of(duties, role_ids)
    order = {rid: i for i, rid in enumerate(role_ids)}
    best = (pairs.assign(_order=pairs["other_role_id"].map(order))
            .sort_values(["role_id", "duty_no", "similarity", "_order", "other_duty_no"],
                         ascending=[True, True, False, True, True])
            .drop_duplicates(["role_id", "duty_no"])
            .rename(columns={"other_role_id": "match_role_id",
                             "other_duty_no": "match_duty_no"})
            .drop(columns="_order"))
    best = best[best["similarity"] > 0]
    texts = duties.set_index(["role_id", "duty_no"])["text"]
    table = own[["role_id", "duty_no", "text", "category", "time_share"]].merge(
        best, on=["role_id", "duty_no"], how="left")
    matched = table["match_role_id"].notna()
    table["match_role_id"] = table["match_role_id"].astype(object).where(matched, None)
    table["match_duty_no"] = table["match_duty_no"].astype("Int64")
    table["match_text"] = pd.Series(
        [texts.get((r, n)) if m else None
         for r, n, m in zip(table["match_role_id"], table["match_duty_no"], matched)],
        index=table.index, dtype=object)
    table["similarity"] = table["similarity"].fillna(0.0)
    table["status"] = status_of(table["similarity"].to_numpy())
    return table[["role_id", "duty_no", "text", "category", "time_share", "match_role_id",
                  "match_duty_no", "match_text", "similarity", "status"]]


def _coverage(pairs: pd.DataFrame, duties: pd.DataFrame, role: str, other: str) -> float:
    """Time-share weighted mean of the best similarity in `other` of each duty of `role`."""
    own = duties[duties["role_id"] == role]
    if own.empty:
        return float("nan")
    best = (pairs[(pairs["role_id"] == role) & (pairs["other_role_id"] == other)]
            .groupby("duty_no")["similarity"].max())
    values = own["duty_no"].map(best).fillna(0.0).to_numpy(dtype=float)
    weights = own["time_share"].fillna(0.0).to_numpy(dtype=float)
    if weights.sum() <= 0:
        weights = np.ones_like(values)
    return float(np.average(values, weights=weights))


def role_similarity(pairs: pd.DataFrame, duties: pd.DataFrame, role_ids) -> pd.DataFrame:
    """One row per pair of roles (in the order of `role_ids`): how alike their duties are.

    Columns: role_id, other_role_id, similarity (see the module docstring), coverage
    (role's duties covered by the other) and other_coverage (the reverse), and the number of
    duty pairs between the two roles that are shared and similar.
    """
    role_ids = list(role_ids)
    rows = []
    for i, role in enumerate(role_ids):
        for other in role_ids[i + 1:]:
            between = pairs[(pairs["role_id"] == role) & (pairs["other_role_id"] == other)]
            status = status_of(between["similarity"].to_numpy())
            coverage = _coverage(pairs, duties, role, other)
            other_coverage = _coverage(pairs, duties, other, role)
            rows.append({
                "role_id": role, "other_role_id": other,
                "similarity": (coverage + other_coverage) / 2,
                "coverage": coverage, "other_coverage": other_coverage,
                "shared_pairs": int((status == "shared").sum()),
                "similar_pairs": int((status == "similar").sum()),
            })
    return pd.DataFrame(rows, columns=["role_id", "other_role_id", "similarity", "coverage",
                                       "other_coverage", "shared_pairs", "similar_pairs"])


def nearest_duties(index: DutyIndex, k: int = 5, threshold: float = SIMILAR_THRESHOLD,
                   chunk_size: int = 1000, other_roles_only: bool = True,
                   max_products: int = 10_000_000) -> pd.DataFrame:
    """The k most similar duties of every duty in the catalogue, above `threshold`.

    Exact: sparse products of a chunk of rows at a time against the whole matrix. A chunk has
    at most `chunk_size` rows and, as far as an upper bound tells (the sum over a duty's words
    of the number of duties holding the word), at most `max_products` non-zero similarities,
    so memory stays bounded whatever the vocabulary. The time grows with the number of duty
    pairs that share a word (bench/matching_scale.py): 250,000 templated duties, each with
    hundreds of close variants, took about 6 CPU minutes and 0.7 GB at most; the 250,000
    duties of a 10,000-role jdcore.synth catalogue (563 distinct words, so every duty shares a
    word with ~70,000 others) about 20 CPU minutes. Run it once per catalogue and cache the
    result. Columns: role_id, duty_no, other_role_id, other_duty_no, similarity, rank
    (1 = closest); sorted by duty then rank. A duty is never its own neighbour; with
    `other_roles_only`, neither are the other duties of its role.
    """
    matrix = index.matrix
    transposed = matrix.T.tocsc()
    role_codes = pd.factorize(index.keys["role_id"])[0]
    present = matrix.copy()
    present.data = np.ones_like(present.data)
    holders = np.asarray(present.sum(axis=0)).ravel()      # duties holding each word
    work = np.cumsum(present @ holders)                    # bound on non-zeros, cumulated
    rows, cols, values, ranks = [], [], [], []
    start = 0
    while start < matrix.shape[0]:
        done = work[start - 1] if start else 0.0
        stop = int(np.searchsorted(work, done + max_products, side="right"))
        stop = min(max(stop, start + 1), start + chunk_size, matrix.shape[0])
        block = sparse.csr_matrix(matrix[start:stop] @ transposed)
        keep = block.data >= threshold
        row = np.repeat(np.arange(block.shape[0]), np.diff(block.indptr))[keep] + start
        col, value = block.indices[keep], block.data[keep]
        keep = row != col
        if other_roles_only:
            keep &= role_codes[row] != role_codes[col]
        row, col, value = row[keep], col[keep], value[keep]
        order = np.lexsort((col, -value, row))
        row, col, value = row[order], col[order], value[order]
        rank = np.arange(len(row)) - np.searchsorted(row, row, side="left") + 1
        top = rank <= k
        rows.append(row[top])
        cols.append(col[top])
        values.append(value[top])
        ranks.append(rank[top])
        start = stop
    rows, cols = (np.concatenate(x or [np.zeros(0, dtype=np.int64)]) for x in (rows, cols))
    values = np.concatenate(values or [np.zeros(0)])
    ranks = np.concatenate(ranks or [np.zeros(0, dtype=np.int64)])
    keys = index.keys
    return pd.DataFrame({
        "role_id": keys["role_id"].to_numpy()[rows],
        "duty_no": keys["duty_no"].to_numpy()[rows],
        "other_role_id": keys["role_id"].to_numpy()[cols],
        "other_duty_no": keys["duty_no"].to_numpy()[cols],
        "similarity": np.minimum(values.astype(float), 1.0),
        "rank": ranks.astype("int64"),
    })
