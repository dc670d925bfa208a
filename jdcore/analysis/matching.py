"""Duty matching by the meaning of the text: TF-IDF cosine similarity of normalised duties.

Normalisation (`normalise`): lowercase; keep letters and digits only; drop English stop words
(scikit-learn's list); map a few domain synonyms to one word (`SYNONYMS`: buyer and client ->
customer, vendor -> supplier, ...); reduce each word to its Snowball (Porter 2) English stem
(`stem`, with the snowballstemmer package: negotiate / negotiation / negotiations ->
"negoti", material / materials -> "materi"), after mapping the forms of a word that Snowball
keeps apart but the domain treats as one (`DOMAIN_FORMS`: supply -> supplier, payment -> pay,
delivered -> delivery, ...). So "Negotiate with potential dealers or buyers" and "Conduct
negotiations with buyers" share the words "negoti" and "custom" although they share no
wording but "with".

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

Catalogue-wide neighbours (`nearest_duties`, the top k duties of other roles for every duty):
exact while the work is small, approximate above EXACT_MAX_PRODUCTS. The exact search
(sparse_dot_topn's sp_matmul_topn, which keeps only the top products of each row) costs one
product per pair of duties that share a word, which grows with the square of the catalogue;
the approximate one groups the duties into clusters of about CLUSTER_SIZE similar duties
(spherical k-means) and compares each duty only with the members of its CLUSTER_PROBES
closest clusters, so it grows with the number of duties; a pair found by one of its duties
counts for the other too (similarity is symmetric). Every similarity it returns is exact;
what it can miss is a neighbour in a cluster that neither duty probed. On the 10,000-role
synthetic catalogue it finds about 0.98 of the exact top 5 (bench/run.py measures it with
`neighbour_recall` on every run). After an edit, `update_neighbours` gives the exact
neighbours again from the previous ones, searching only the changed roles' duties and the
duties that had one of them as a neighbour.

Role-by-role similarity (`role_similarity`): for roles A and B, every duty of A takes the
similarity of its best match among B's duties; A's coverage by B is the mean of those values
weighted by the duties' time shares (equal weights when A's time shares sum to 0). The
similarity of A and B is the mean of the two directions, (cover(A by B) + cover(B by A)) / 2,
so it is symmetric, 1 for two identical duty lists and 0 when no word is shared.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import snowballstemmer
from scipy import sparse
from sparse_dot_topn import sp_matmul_topn
from sklearn.feature_extraction.text import (ENGLISH_STOP_WORDS, CountVectorizer,
                                             TfidfTransformer, TfidfVectorizer)

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
# Forms of one word of the domain that the Snowball stemmer keeps apart; each maps to the
# word stemmed in its place (after SYNONYMS).
DOMAIN_FORMS = {
    "delivered": "delivery",
    "supply": "supplier", "supplies": "supplier",
    "payment": "pay", "payments": "pay",
    "staffing": "staff",
    "higher": "high",
}
_WORD = re.compile(r"[a-z0-9]+")
_STEMMERS = threading.local()  # a Snowball stemmer keeps its state while it stems a word


def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem of a lowercase word, after DOMAIN_FORMS."""
    return _stem(DOMAIN_FORMS.get(word, word))


def snowball_stem(word: str) -> str:
    """The Snowball (Porter 2) English stem of a lowercase word, nothing else mapped."""
    return _stem(word)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def normalise(text: str) -> str:
    """Lowercase words without punctuation or stop words, synonyms mapped, stemmed."""
    return " ".join(duty_words(text))


def duty_words(text: str) -> list[str]:
    """The words of `normalise(text)`, in order: what the vectoriser counts."""
    words = _WORD.findall(str(text).lower().replace("'s", ""))
    return [form for form in map(_word_form, words) if form]


@lru_cache(maxsize=200_000)
def _word_form(word: str) -> str:
    """The form `normalise` gives a word: "" for a stop word or a single letter or digit."""
    if word in ENGLISH_STOP_WORDS or len(word) <= 1:
        return ""
    return stem(SYNONYMS.get(word, word))


@dataclass(frozen=True, eq=False)
class DutyIndex:
    """The fitted vectoriser and the vectors of every duty of a catalogue.

    Row i of `matrix` is the duty in row i of `keys` (role_id, duty_no). `replaced` marks
    the rows vectorised after the fit by `replace_roles` (None: none), whose words may be
    missing from the vocabulary.
    """

    vectorizer: TfidfVectorizer
    keys: pd.DataFrame
    matrix: sparse.csr_matrix
    replaced: np.ndarray | None = None

    @cached_property
    def role_codes(self) -> np.ndarray:
        """Per row, a number of its role (equal for the rows of one role, else different)."""
        return pd.factorize(self.keys["role_id"])[0]

    def rows_of(self, role_ids) -> np.ndarray:
        """Matrix rows of the duties of the given roles, in the order of `role_ids`."""
        order = {rid: i for i, rid in enumerate(role_ids)}
        rank = self.keys["role_id"].map(order)
        chosen = rank.notna().to_numpy()
        positions = np.flatnonzero(chosen)
        return positions[np.lexsort((self.keys["duty_no"].to_numpy()[chosen],
                                     rank.to_numpy()[chosen]))]


def make_vectorizer(**options) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=duty_words, sublinear_tf=True, dtype=np.float32,
                           **options)


def fit_duty_index(duties: pd.DataFrame) -> DutyIndex:
    """Fit the vectoriser on the text of every duty (catalogue-wide IDF) and vectorise them.

    The same as make_vectorizer().fit_transform of every duty's text, with each distinct
    text normalised and vectorised once: the words are counted per distinct text, the IDF
    from those counts repeated for every duty holding the text, and each duty takes the row
    of its text."""
    keys = duties[["role_id", "duty_no"]].reset_index(drop=True)
    codes, texts = pd.factorize(duties["text"].fillna("").astype(str).to_numpy(object))
    texts = texts.tolist()
    counter = CountVectorizer(analyzer=duty_words, dtype=np.float32)
    try:
        counts = sparse.csr_matrix(counter.fit_transform(texts))
    except ValueError:  # no words at all (e.g. no duties): a vocabulary no text can reach
        vectorizer = make_vectorizer(vocabulary={"\u2205": 0}).fit(texts or [""])
        return DutyIndex(vectorizer, keys, duty_vectors(vectorizer, duties["text"].tolist()))
    weights = TfidfTransformer(sublinear_tf=True).fit(counts[codes])
    vectorizer = make_vectorizer(vocabulary=counter.vocabulary_)
    vectorizer.idf_ = weights.idf_
    matrix = sparse.csr_matrix(weights.transform(counts), dtype=np.float32)[codes]
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


# Catalogue-wide neighbour search: exact below this bound on the number of non-zero products
# (the sum over duties of the number of duties holding each of their words), clustered above
# it. sp_matmul_topn does about 150 million products a second on each of 2 cores: the
# 1,000-role synthetic catalogue (232 million) takes under a second, the 10,000-role one
# (23,500 million) over a minute.
EXACT_MAX_PRODUCTS = 1_000_000_000
TOP_MARGIN = 3       # values kept beyond the k-th, to tell a tie that may have been cut
GROUP_WEIGHT = np.float32(np.sqrt(3.0))  # a pair of one group scores its similarity - 3
MATCH_THREADS = max(1, min(8, os.cpu_count() or 1))
CLUSTER_SIZE = 256   # mean number of duties per cluster of the approximate search
CLUSTER_PROBES = 8   # clusters each duty is compared with: its own and the next seven
CLUSTER_SEED = 0     # the same catalogue always gives the same neighbours
CLUSTER_KEPT = 3     # the clustered search keeps 3 k candidates per duty (see _symmetric_top_k)
NEIGHBOUR_COLUMNS = ["role_id", "duty_no", "other_role_id", "other_duty_no", "similarity",
                     "rank"]


def nearest_duties(index: DutyIndex, k: int = 5, threshold: float = SIMILAR_THRESHOLD,
                   chunk_size: int = 20_000, other_roles_only: bool = True,
                   max_products: int = 2_000_000_000, method: str = "auto") -> pd.DataFrame:
    """The k most similar duties of every duty in the catalogue, above `threshold`.

    Columns: role_id, duty_no, other_role_id, other_duty_no, similarity, rank (1 = closest);
    sorted by duty then rank, ties to the lower matrix row. A duty is never its own
    neighbour; with `other_roles_only`, neither are the other duties of its role.

    method "exact" compares every duty with every duty (`_exact_neighbours`); "clustered"
    compares each duty with the duties of a few clusters of similar duties only
    (`_clustered_neighbours`): approximate, but its time grows with the number of duties
    rather than with its square. "auto" is exact while the work bound is at most
    EXACT_MAX_PRODUCTS. Either way, run it once per catalogue and cache the result.
    """
    return neighbour_search(index, k, threshold, chunk_size, other_roles_only, max_products,
                            method).table()


@dataclass(frozen=True, eq=False)
class Neighbours:
    """The result of a neighbour search as matrix rows of its index: `rows[i]`'s neighbour
    `cols[i]` at similarity `values[i]`, sorted by row then rank (1 = closest). What
    `neighbours_after_edit` updates; `table()` is nearest_duties' table."""

    index: DutyIndex
    k: int
    threshold: float
    other_roles_only: bool
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray

    def table(self, keep: np.ndarray | None = None) -> pd.DataFrame:
        """The neighbour table (NEIGHBOUR_COLUMNS); with `keep` (a mask over the pairs),
        only those pairs (the ranks stay those of the whole search)."""
        ranks = _ranks(self.rows)
        if keep is None:
            return _neighbour_table(self.index, self.rows, self.cols, self.values, ranks)
        return _neighbour_table(self.index, self.rows[keep], self.cols[keep],
                                self.values[keep], ranks[keep])


def neighbour_search(index: DutyIndex, k: int = 5, threshold: float = SIMILAR_THRESHOLD,
                     chunk_size: int = 20_000, other_roles_only: bool = True,
                     max_products: int = 2_000_000_000, method: str = "auto") -> Neighbours:
    """nearest_duties as `Neighbours` (matrix rows, no table built yet)."""
    if method not in ("auto", "exact", "clustered"):
        raise ValueError(f"unknown method {method!r}: use auto, exact or clustered")
    if method == "auto":
        method = "exact" if product_bound(index.matrix).sum() <= EXACT_MAX_PRODUCTS else "clustered"
    if method == "exact":
        rows, cols, values = _exact_neighbours(index, k, threshold, chunk_size,
                                               other_roles_only, max_products)
    else:
        rows, cols, values = _clustered_neighbours(index, k, threshold, other_roles_only)
    # both searches give each duty's neighbours sorted, duty by duty
    return Neighbours(index, k, threshold, other_roles_only, rows, cols, values)


def _neighbour_table(index: DutyIndex, rows, cols, values, ranks=None) -> pd.DataFrame:
    """The neighbour table of matrix rows, columns and values sorted by row then rank."""
    role, number = index.keys["role_id"], index.keys["duty_no"]
    ranks = _ranks(rows) if ranks is None else ranks
    return pd.DataFrame({
        "role_id": role.take(rows).reset_index(drop=True),
        "duty_no": number.take(rows).reset_index(drop=True),
        "other_role_id": role.take(cols).reset_index(drop=True),
        "other_duty_no": number.take(cols).reset_index(drop=True),
        "similarity": np.minimum(values.astype(float), 1.0),
        "rank": np.asarray(ranks).astype("int64"),
    }, columns=NEIGHBOUR_COLUMNS)


def product_bound(matrix: sparse.csr_matrix, rows=None) -> np.ndarray:
    """Per row (of all, or of `rows`), a bound on its non-zero similarities: the sum over its
    words of the number of rows holding the word (the work of multiplying the row with the
    whole matrix)."""
    holders = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    part = matrix if rows is None else matrix[np.asarray(rows, dtype=np.int64)]
    present = sparse.csr_matrix((np.ones_like(part.data, dtype=np.float64), part.indices,
                                 part.indptr), shape=part.shape)
    return np.asarray(present @ holders).ravel()


def _ranks(rows: np.ndarray) -> np.ndarray:
    """1, 2, ... along each run of equal values of sorted `rows`."""
    return np.arange(len(rows)) - np.searchsorted(rows, rows, side="left") + 1


def _top_k(rows, cols, values, k: int):
    """The k largest values per row (ties to the lower column), sorted by row then rank."""
    order = np.lexsort((cols, -values, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    top = _ranks(rows) <= k
    return rows[top], cols[top], values[top]


def _exact_neighbours(index: DutyIndex, k: int, threshold: float, chunk_size: int,
                      other_roles_only: bool, max_products: int, rows=None):
    """The exact top k of every duty (or of the matrix rows `rows`, in increasing order),
    found with sparse_dot_topn's sp_matmul_topn a chunk of rows at a time.

    sp_matmul_topn multiplies a chunk with the whole matrix and keeps only the largest
    products of each row, so memory stays at a few values per duty whatever the catalogue.
    Pairs that must not be neighbours (a duty and itself and, with `other_roles_only`, the
    duties of one role) are kept out by `_group_marks`: such a pair scores below 0, every other
    pair its similarity. A chunk has at most `chunk_size` rows and, as far as `product_bound`
    tells, at most `max_products` products. A row whose kept values may have lost a tie at
    its k-th value (all TOP_MARGIN + k kept, the k-th equal to the smallest) is searched
    again over all its products (`_all_products`), so ties always go to the lower matrix row.
    """
    matrix = index.matrix
    n = matrix.shape[0]
    rows = np.arange(n, dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
    if n == 0 or len(rows) == 0 or matrix.nnz == 0:
        return _joined([], [], [])
    groups = index.role_codes if other_roles_only else np.arange(n)
    marks = _group_marks(groups)
    right = sparse.vstack([matrix.T.tocsr(), -marks.T.tocsr()], format="csr")
    kept = k + TOP_MARGIN
    # sp_matmul_topn keeps the values above its threshold; ours is inclusive
    floor = float(np.float32(threshold) * np.float32(1 - 1e-6)) if threshold > 0 else 0.0
    work = np.cumsum(product_bound(matrix, rows))
    found = ([], [], [])
    start = 0
    while start < len(rows):
        done = work[start - 1] if start else 0.0
        stop = int(np.searchsorted(work, done + max_products, side="right"))
        stop = min(max(stop, start + 1), start + chunk_size, len(rows))
        chunk = rows[start:stop]
        left = sparse.hstack([matrix[chunk], marks[chunk]], format="csr")
        block = sp_matmul_topn(left, right, top_n=kept, threshold=floor,
                               n_threads=MATCH_THREADS)
        counts = np.diff(block.indptr)
        row = np.repeat(chunk, counts)
        col, value = block.indices.astype(np.int64), block.data
        keep = value >= threshold
        row, col, value = _top_k(row[keep], col[keep], value[keep], k)
        full = counts >= kept
        if full.any():
            smallest = np.full(len(chunk), np.inf, dtype=np.float32)
            filled = counts > 0
            smallest[filled] = np.minimum.reduceat(block.data, block.indptr[:-1][filled])
            kth = np.full(len(chunk), -np.inf, dtype=np.float32)
            last = np.flatnonzero(_ranks(row) == k)
            kth[np.searchsorted(chunk, row[last])] = value[last]
            redo = chunk[full & (kth <= smallest)]
            if len(redo):
                again = ~np.isin(row, redo)
                more = _all_products(matrix, groups, redo, k, threshold)
                row, col, value = (np.concatenate([row[again], more[0]]),
                                   np.concatenate([col[again], more[1]]),
                                   np.concatenate([value[again], more[2]]))
                order = np.lexsort((col, -value, row))
                row, col, value = row[order], col[order], value[order]
        for part, values in zip(found, (row, col, value)):
            part.append(values)
        start = stop
    return _joined(*found)


def _group_marks(groups: np.ndarray) -> sparse.csr_matrix:
    """One column per group, GROUP_WEIGHT in its rows' cells: appended to the left rows of
    a product and, negated, to the right ones, so that the product of two rows is their
    similarity for rows of different groups and less than 0 for rows of one group."""
    n = len(groups)
    return sparse.csr_matrix((np.full(n, GROUP_WEIGHT, dtype=np.float32),
                              (np.arange(n), groups)), shape=(n, int(groups.max()) + 1))


def _all_products(matrix: sparse.csr_matrix, groups: np.ndarray, rows: np.ndarray, k: int,
                  threshold: float):
    """The exact top k of the given (increasing) rows, from all their products."""
    block = sparse.csr_matrix(matrix[rows] @ matrix.T)
    row = np.repeat(rows, np.diff(block.indptr))
    col, value = block.indices.astype(np.int64), block.data
    keep = (value >= threshold) & (groups[row] != groups[col])
    return _top_k(row[keep], col[keep], value[keep], k)


def _joined(rows, cols, values):
    return (np.concatenate(rows or [np.zeros(0, dtype=np.int64)]).astype(np.int64),
            np.concatenate(cols or [np.zeros(0, dtype=np.int64)]).astype(np.int64),
            np.concatenate(values or [np.zeros(0, dtype=np.float32)]))


def _clustered_neighbours(index: DutyIndex, k: int, threshold: float, other_roles_only: bool):
    """Approximate neighbours: compare each duty only with the duties of its CLUSTER_PROBES
    closest clusters.

    The duties are grouped into about n / CLUSTER_SIZE clusters by spherical k-means (cosine
    k-means on the TF-IDF rows; centroids fitted on a seeded sample of 30 duties per cluster,
    so the same catalogue gives the same clusters). Each duty belongs to the cluster of its
    closest centroid and is compared, exactly, with every member of its CLUSTER_PROBES closest
    clusters, one dense product per cluster over the words its members use. A neighbour in a
    cluster that is neither probed by the duty nor by whose cluster the neighbour probed
    (`_symmetric_top_k`: each duty keeps CLUSTER_KEPT * k candidates, and a pair found by one
    of its duties counts for both) is missed: bench/run.py measures how many of the exact
    top-k are found, against an exact search of a sample of duties (`neighbour_recall`).
    """
    matrix = sparse.csr_matrix(index.matrix, dtype=np.float32)
    n = matrix.shape[0]
    if n == 0:
        return _joined([], [], [])
    role_codes = index.role_codes
    centroids = _spherical_kmeans(matrix, max(1, n // CLUSTER_SIZE))
    probes = _closest_clusters(matrix, centroids, CLUSTER_PROBES)
    home = probes[:, 0]
    members_by_cluster = np.argsort(home, kind="stable")
    member_start = np.searchsorted(home[members_by_cluster], np.arange(len(centroids) + 1))
    query_rows = np.repeat(np.arange(n), probes.shape[1])
    query_clusters = probes.ravel()
    order = np.argsort(query_clusters, kind="stable")
    query_rows, query_clusters = query_rows[order], query_clusters[order]
    query_start = np.searchsorted(query_clusters, np.arange(len(centroids) + 1))
    column_of = np.full(matrix.shape[1], -1, dtype=np.int64)
    # Each duty's best k so far (value, column; an empty slot is -inf, n): merged batch by
    # batch, so memory stays at n x k whatever the number of probes.
    kept = CLUSTER_KEPT * k
    best_values = np.full((n, kept), -np.inf, dtype=np.float32)
    best_cols = np.full((n, kept), n, dtype=np.int64)
    for cluster in range(len(centroids)):
        members = members_by_cluster[member_start[cluster]:member_start[cluster + 1]]
        queries = query_rows[query_start[cluster]:query_start[cluster + 1]]
        if len(members) == 0 or len(queries) == 0:
            continue
        words = np.unique(matrix[members].indices)
        column_of[words] = np.arange(len(words))
        member_vectors = _dense_rows(matrix, members, column_of, len(words))
        for first in range(0, len(queries), 4096):
            batch = queries[first:first + 4096]
            similarity = _dense_rows(matrix, batch, column_of, len(words)) @ member_vectors.T
            similarity[_equal_pairs(role_codes[batch] if other_roles_only else batch,
                                    role_codes[members] if other_roles_only else members)] = -1
            top, value = _row_maxima(similarity, kept)
            _merge_best(best_values, best_cols, batch, members[top], value)
        column_of[words] = -1
    # empty slots (-inf), masked pairs (-1) and, as in the exact search, pairs sharing no word
    found = (best_values >= threshold) & (best_values > 0)
    return _symmetric_top_k(best_values, best_cols, found, k)


def _symmetric_top_k(best_values: np.ndarray, best_cols: np.ndarray, found: np.ndarray,
                     k: int):
    """Each row's top k (sorted by row then rank, ties to the lower column) from the
    candidates each row found (row i's `best_cols[i]` at `best_values[i]`, sorted, largest
    first; `found` marks the real ones) and those that found it: similarity is symmetric, so
    a pair (i, j) found by i is a candidate of j too, which may not have probed i's cluster.
    Where both found the pair, the row's own value is kept."""
    n = best_values.shape[0]
    rows = np.broadcast_to(np.arange(n)[:, None], found.shape)[found]
    cols, values = best_cols[found], best_values[found]
    # a pair (j, i) offered to i can only enter i's top k at or above i's own k-th value
    kth = np.where(found[:, k - 1], best_values[:, k - 1], -np.inf) if found.shape[1] >= k \
        else np.full(n, -np.inf, dtype=np.float32)
    offered = values >= kth[cols]
    own = found.copy()
    own[:, k:] = False  # beyond the k-th, a row's own candidates cannot enter its top k
    own_rows = np.broadcast_to(np.arange(n)[:, None], own.shape)[own]
    all_rows = np.concatenate([own_rows, cols[offered]])
    all_cols = np.concatenate([best_cols[own], rows[offered]])
    all_values = np.concatenate([best_values[own], values[offered]])
    # one entry per pair, the row's own first
    order = np.lexsort((np.arange(len(all_rows)), all_cols, all_rows))
    all_rows, all_cols, all_values = all_rows[order], all_cols[order], all_values[order]
    first = np.ones(len(all_rows), dtype=bool)
    first[1:] = (np.diff(all_rows) != 0) | (np.diff(all_cols) != 0)
    return _top_k(all_rows[first], all_cols[first], all_values[first], k)


def _merge_best(best_values: np.ndarray, best_cols: np.ndarray, rows: np.ndarray,
                cols: np.ndarray, values: np.ndarray) -> None:
    """Merge candidates (one row of `cols`/`values` per entry of `rows`) into the running best
    k of those rows: the largest values, ties to the lower column."""
    k = best_values.shape[1]
    merged_values = np.concatenate([best_values[rows], values.astype(np.float32)], axis=1)
    merged_cols = np.concatenate([best_cols[rows], cols], axis=1)
    order = np.lexsort((merged_cols, -merged_values), axis=1)[:, :k]
    best_values[rows] = np.take_along_axis(merged_values, order, axis=1)
    best_cols[rows] = np.take_along_axis(merged_cols, order, axis=1)


def _equal_pairs(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with left[i] == right[j], found by sorting: there are few of them (a duty
    meets the duties of its own role), so this is far cheaper than a full comparison grid."""
    order = np.argsort(right, kind="stable")
    ordered = right[order]
    low = np.searchsorted(ordered, left, side="left")
    counts = np.searchsorted(ordered, left, side="right") - low
    i = np.repeat(np.arange(len(left)), counts)
    offsets = np.arange(len(i)) - np.repeat(np.cumsum(counts) - counts, counts)
    return i, order[np.repeat(low, counts) + offsets]


def _dense_rows(matrix: sparse.csr_matrix, rows: np.ndarray, column_of: np.ndarray,
                width: int) -> np.ndarray:
    """The given rows as a dense array over the columns mapped by `column_of` (others dropped)."""
    part = matrix[rows]
    dense = np.zeros((len(rows), width), dtype=np.float32)
    columns = column_of[part.indices]
    inside = columns >= 0
    row_of = np.repeat(np.arange(len(rows)), np.diff(part.indptr))
    dense[row_of[inside], columns[inside]] = part.data[inside]
    return dense


def _spherical_kmeans(matrix: sparse.csr_matrix, clusters: int, rounds: int = 6) -> np.ndarray:
    """Unit-length centroids of `clusters` groups of rows, fitted on a seeded sample."""
    rng = np.random.default_rng(CLUSTER_SEED)
    n = matrix.shape[0]
    sample = matrix[np.sort(rng.choice(n, min(n, 30 * clusters), replace=False))]
    centroids = sample[rng.choice(sample.shape[0], clusters, replace=False)].toarray()
    for _ in range(rounds):
        nearest = np.asarray(sample @ centroids.T).argmax(axis=1)
        membership = sparse.csr_matrix(
            (np.ones(len(nearest), dtype=np.float32), (nearest, np.arange(len(nearest)))),
            shape=(clusters, sample.shape[0]))
        summed = np.asarray((membership @ sample).todense())
        length = np.linalg.norm(summed, axis=1)
        used = length > 0
        centroids[used] = summed[used] / length[used, None]  # an empty cluster keeps its centroid
    return centroids.astype(np.float32)


def _closest_clusters(matrix: sparse.csr_matrix, centroids: np.ndarray, probes: int,
                      chunk: int = 20_000) -> np.ndarray:
    """Per row, the indices of its `probes` closest centroids, closest first."""
    probes = min(probes, len(centroids))
    result = np.empty((matrix.shape[0], probes), dtype=np.int64)
    for start in range(0, matrix.shape[0], chunk):
        scores = np.asarray(matrix[start:start + chunk] @ centroids.T)
        result[start:start + chunk] = _row_maxima(scores, probes)[0]
    return result


def _row_maxima(values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the k largest values of each row, largest first (ties to
    the lower column). Overwrites them in `values`.

    k passes of argmax: for a small k, several times faster than argpartition, which sorts
    an index array as large as `values`.
    """
    k = min(k, values.shape[1])
    rows = np.arange(values.shape[0])
    top = np.empty((values.shape[0], k), dtype=np.int64)
    best = np.empty((values.shape[0], k), dtype=values.dtype)
    for rank in range(k):
        top[:, rank] = values.argmax(axis=1)
        best[:, rank] = values[rows, top[:, rank]]
        values[rows, top[:, rank]] = -np.inf
    return top, best


# --- Updating the neighbours after an edit ------------------------------------------------

def replace_roles(index: DutyIndex, duties: pd.DataFrame, role_ids) -> DutyIndex:
    """The index with the duties of `role_ids` replaced by their rows in `duties` (a role
    with no rows there is removed), vectorised with the index's vectoriser: the vocabulary and
    IDF stay those the index was fitted with, so no other row changes. The other rows keep
    their order; the new rows come last, in the order of `duties`."""
    changed = set(role_ids)
    stays = ~index.keys["role_id"].isin(changed).to_numpy()
    new = duties[duties["role_id"].isin(changed)]
    keys = pd.concat([index.keys[stays], new[["role_id", "duty_no"]]], ignore_index=True)
    matrix = sparse.vstack([index.matrix[np.flatnonzero(stays)],
                            duty_vectors(index.vectorizer, new["text"].tolist())],
                           format="csr", dtype=np.float32)
    before = (np.zeros(len(stays), dtype=bool) if index.replaced is None
              else index.replaced)
    result = DutyIndex(index.vectorizer, keys, matrix,
                       np.concatenate([before[stays], np.ones(len(new), dtype=bool)]))
    # the role numbers of the rows that stay, and new ones for the replaced roles
    codes = index.role_codes
    start = int(codes.max()) + 1 if len(codes) else 0
    result.__dict__["role_codes"] = np.concatenate(
        [codes[stays], start + pd.factorize(new["role_id"])[0]]).astype(codes.dtype)
    return result


# An index is derived from the previous one (replace_roles) while at most this share of its
# rows were vectorised after the fit; above it, the IDF is fitted again on every duty.
DERIVE_MAX_SHARE = 0.05


def duty_signatures(duties: pd.DataFrame) -> pd.Series:
    """Per role id, a 64-bit hash of its duties (numbers and texts, in any order): what
    `changed_roles` compares."""
    if duties.empty:
        return pd.Series(dtype="uint64")
    rows = pd.util.hash_pandas_object(
        duties[["role_id", "duty_no", "text"]], index=False)
    return rows.groupby(duties["role_id"].to_numpy(), sort=False).sum()


def changed_roles(before: pd.Series, after: pd.Series) -> set[str]:
    """The roles whose duties differ between two duty_signatures: changed, added or
    removed."""
    both = pd.concat([before.rename("before"), after.rename("after")], axis=1)
    return set(both.index[both["before"].ne(both["after"])
                          | both["before"].isna() | both["after"].isna()])


def derivable(index: DutyIndex, duties: pd.DataFrame, changed) -> bool:
    """Whether replace_roles(index, duties, changed) keeps the index close enough to a fit
    on `duties`: at most DERIVE_MAX_SHARE of its rows vectorised after the fit."""
    if not len(index.keys):
        return False
    changed = set(changed)
    before = (np.zeros(len(index.keys), dtype=bool) if index.replaced is None
              else index.replaced)
    stays = ~index.keys["role_id"].isin(changed).to_numpy()
    new_rows = int(duties["role_id"].isin(changed).sum())
    replaced = int(before[stays].sum()) + new_rows
    return replaced <= DERIVE_MAX_SHARE * (int(stays.sum()) + new_rows)


def update_neighbours(previous: pd.DataFrame, index: DutyIndex, changed_role_ids,
                      k: int = 5, threshold: float = SIMILAR_THRESHOLD,
                      other_roles_only: bool = True) -> pd.DataFrame:
    """The exact nearest_duties of `index` from `previous`, the exact nearest_duties (same k,
    threshold and other_roles_only) of an index that differed only in the duties of
    `changed_role_ids` (e.g. the index before `replace_roles`), without searching the whole
    catalogue again.

    Searched again, against every duty: the duties of the changed roles, and the duties that
    had one of them among their neighbours (that neighbour is gone or has changed, and the one
    that would follow it is not known). Every other duty keeps its previous neighbours, which
    are still its closest among the unchanged duties, merged with its closest duties of the
    changed roles. Where such a merge cannot tell a tie at the k-th value (a changed duty as
    similar as the previous k-th, which an unchanged duty of a lower row might match), that
    duty is searched again too. The result equals nearest_duties(index, method="exact").
    `neighbours_after_edit` does the same from a `Neighbours` without matching keys.
    """
    changed = set(changed_role_ids)
    n = index.matrix.shape[0]
    if n == 0 or index.matrix.nnz == 0:
        return nearest_duties(index, k=k, threshold=threshold,
                              other_roles_only=other_roles_only, method="exact")
    locate = _key_locator(index.keys)
    fresh = index.keys["role_id"].isin(changed).to_numpy()
    rows = locate(previous["role_id"], previous["duty_no"])
    cols = locate(previous["other_role_id"], previous["other_duty_no"])
    rows, cols, values = _updated(index, fresh, rows, cols,
                                  previous["similarity"].to_numpy(np.float32),
                                  previous["rank"].to_numpy(), k, threshold, other_roles_only)
    return _neighbour_table(index, rows, cols, values)


def neighbours_after_edit(previous: Neighbours, duties: pd.DataFrame,
                          changed_role_ids) -> Neighbours:
    """`previous` (a search of some index) after the duties of `changed_role_ids` were
    replaced by their rows in `duties`: the index becomes replace_roles(previous.index,
    duties, changed_role_ids) (same vocabulary and IDF) and its neighbours are updated as
    update_neighbours does, searching only the changed duties and those that had one of them
    as a neighbour. Exact where `previous` was; where `previous` came from the clustered
    search, the unchanged duties keep what it found, merged with the changed duties."""
    changed = set(changed_role_ids)
    before = previous.index
    index = replace_roles(before, duties, changed)
    stays = ~before.keys["role_id"].isin(changed).to_numpy()
    new_row = np.full(len(stays) + 1, -1, dtype=np.int64)  # the last one for "absent"
    new_row[:-1][stays] = np.arange(int(stays.sum()))
    fresh = np.zeros(index.matrix.shape[0], dtype=bool)
    fresh[int(stays.sum()):] = True
    if index.matrix.shape[0] == 0 or index.matrix.nnz == 0:
        return neighbour_search(index, previous.k, previous.threshold,
                                other_roles_only=previous.other_roles_only, method="exact")
    rows, cols, values = _updated(index, fresh, new_row[previous.rows], new_row[previous.cols],
                                  previous.values, _ranks(previous.rows), previous.k,
                                  previous.threshold, previous.other_roles_only)
    return Neighbours(index, previous.k, previous.threshold, previous.other_roles_only,
                      rows, cols, values)


def _updated(index: DutyIndex, fresh: np.ndarray, rows: np.ndarray, cols: np.ndarray,
             values: np.ndarray, rank: np.ndarray, k: int, threshold: float,
             other_roles_only: bool):
    """The core of update_neighbours: the previous pairs as rows of `index` (-1 where the
    duty is gone), `fresh` the rows of the changed roles; gives rows, cols, values sorted by
    row then rank."""
    n = index.matrix.shape[0]
    rows = rows.copy()
    rows[rows >= 0] = np.where(fresh[rows[rows >= 0]], -1, rows[rows >= 0])
    lost = (cols < 0) | fresh[np.maximum(cols, 0)]
    redo = fresh.copy()
    redo[rows[lost & (rows >= 0)]] = True
    kept = (rows >= 0) & ~lost
    rank = rank[kept]
    rows, cols, values = rows[kept], cols[kept], values[kept]
    # the previous k-th value of the duties whose previous list was full
    kth = np.full(n, -np.inf, dtype=np.float32)
    kth[rows[rank == k]] = values[rank == k]
    # similarities to the changed roles' duties, for every duty not searched again, all of
    # them (top_n: every changed duty), multiplied as the full search does (so a tie stays a
    # tie); no duty searched here is of a changed role, so no pair is of one role
    targets = np.flatnonzero(fresh)
    others = np.flatnonzero(~redo)
    if len(targets) and len(others):
        floor = float(np.float32(threshold) * np.float32(1 - 1e-6)) if threshold > 0 else 0.0
        block = sp_matmul_topn(index.matrix[others], index.matrix[targets].T.tocsr(),
                               top_n=len(targets), threshold=floor, n_threads=MATCH_THREADS)
        near_rows = np.repeat(others, np.diff(block.indptr))
        near_cols = targets[block.indices]
        near_values = block.data
        # a changed duty enters a full previous list only at or above its k-th value
        keep = (near_values >= threshold) & (near_values >= kth[near_rows])
        near_rows, near_cols, near_values = near_rows[keep], near_cols[keep], near_values[keep]
        touched = np.zeros(n, dtype=bool)
        touched[near_rows] = True
        merged = touched[rows]
        part_rows = np.concatenate([rows[merged], near_rows])
        part_cols = np.concatenate([cols[merged], near_cols])
        part_values = np.concatenate([values[merged], near_values])
        is_new = np.arange(len(part_rows)) >= merged.sum()
        order = np.lexsort((part_cols, -part_values, part_rows))
        part_rows, part_cols, part_values, is_new = (part_rows[order], part_cols[order],
                                                     part_values[order], is_new[order])
        ranks = _ranks(part_rows)
        top = ranks <= k
        part_rows, part_cols, part_values, is_new, ranks = (
            part_rows[top], part_cols[top], part_values[top], is_new[top], ranks[top])
        # a changed duty as similar as the previous k-th, which an unchanged duty of a lower
        # row might match
        redo[part_rows[is_new & (part_values <= kth[part_rows])]] = True
        rows = np.concatenate([rows[~merged], part_rows])
        cols = np.concatenate([cols[~merged], part_cols])
        values = np.concatenate([values[~merged], part_values])
    keep = ~redo[rows]
    rows, cols, values = rows[keep], cols[keep], values[keep]
    again = _exact_neighbours(index, k, threshold, 20_000, other_roles_only, 2_000_000_000,
                              rows=np.flatnonzero(redo))
    rows, cols, values = (np.concatenate([rows, again[0]]), np.concatenate([cols, again[1]]),
                          np.concatenate([values, again[2]]))
    order = np.argsort(rows, kind="stable")  # each duty's neighbours are in rank order
    return rows[order], cols[order], values[order]


def _key_locator(keys: pd.DataFrame):
    """A function from (role ids, duty numbers) to their rows in `keys`, -1 where absent."""
    roles = pa.array(pd.unique(keys["role_id"]), type=pa.string())
    numbers = keys["duty_no"].to_numpy(np.int64)
    width = int(numbers.max()) + 1 if len(numbers) else 1

    def codes_of(role_ids, duty_nos) -> np.ndarray:
        role = pc.index_in(pa.array(role_ids, type=pa.string()), value_set=roles)
        role = role.fill_null(-1).to_numpy().astype(np.int64)
        number = np.asarray(duty_nos, dtype=np.int64)
        inside = (role >= 0) & (number >= 0) & (number < width)
        return np.where(inside, role * width + number, -1)

    codes = codes_of(keys["role_id"], numbers)
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]

    def locate(role_ids, duty_nos) -> np.ndarray:
        code = codes_of(role_ids, duty_nos)
        if not len(ordered):
            return np.full(len(code), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(ordered, code), len(ordered) - 1)
        return np.where((code >= 0) & (ordered[at] == code), order[at], -1)

    return locate

def neighbour_recall(index: DutyIndex, found: pd.DataFrame, k: int = 5,
                     threshold: float = SIMILAR_THRESHOLD, sample: int = 1000,
                     seed: int = 0) -> dict[str, float]:
    """How close `found` (nearest_duties of `index`) is to the exact answer, on a sample.

    For each sampled duty, its exact top-k (other roles, >= threshold) against what was found:
    recall, the share of the exact top-k matched by a found neighbour at least as similar as
    the exact k-th (so ties count either way); top1, the share of duties whose closest duty
    was found; shortfall, the mean over the exact top-k of (exact - found) similarity rank by
    rank, a rank with nothing found counting its whole exact similarity.
    """
    matrix = index.matrix
    n = matrix.shape[0]
    chosen = np.sort(np.random.default_rng(seed).choice(n, min(n, sample), replace=False))
    role_codes = index.role_codes
    position = {key: i for i, key in enumerate(zip(index.keys["role_id"], index.keys["duty_no"]))}
    found_rows = np.array([position[key] for key in zip(found["role_id"], found["duty_no"])],
                          dtype=np.int64)
    order = np.argsort(found_rows, kind="stable")
    found_rows, found_values = found_rows[order], found["similarity"].to_numpy(float)[order]
    matched = total = top1 = 0
    shortfall = []
    for start in range(0, len(chosen), 32):
        rows = chosen[start:start + 32]
        exact = (matrix[rows] @ matrix.T).toarray()
        exact[role_codes[rows][:, None] == role_codes[None, :]] = -1
        for row, similarities in zip(rows, exact):
            best = np.sort(similarities[similarities >= threshold])[::-1][:k]
            if not len(best):
                continue
            span = np.searchsorted(found_rows, [row, row + 1])
            got = np.sort(found_values[span[0]:span[1]])[::-1][:k]
            total += len(best)
            matched += min(len(best), int((got >= best[-1] - 1e-5).sum()))
            top1 += bool(len(got)) and got[0] >= best[0] - 1e-5
            depth = min(len(best), len(got))
            shortfall.append(float(best[:depth].sum() - got[:depth].sum()
                                   + best[depth:].sum()) / len(best))
    duties = len(shortfall)
    return {"recall": matched / total if total else 1.0,
            "top1": top1 / duties if duties else 1.0,
            "shortfall": max(0.0, float(np.mean(shortfall))) if duties else 0.0}
